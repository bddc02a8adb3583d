# One image for all four apps and the CLI; docker-compose.yml picks the entry point per service.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY apps ./apps
COPY libs ./libs
COPY data ./data
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/data ./data
# Lot photos (PHOTO_STORAGE_DIR); docker-compose.yml mounts one volume here for the seller and buyer apps.
RUN mkdir -p /app/var/photos && chown node:node /app/var/photos
USER node
CMD ["node", "dist/apps/seller/src/main.js"]
