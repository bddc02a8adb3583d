import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { session } from './api/client';

// Every screen but the first is its own lazy chunk, so the phone downloads only what it opens.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./screens/auth/LoginScreen.vue'), meta: { public: true } },
  { path: '/register', name: 'register', component: () => import('./screens/auth/RegisterScreen.vue'), meta: { public: true } },
  { path: '/', redirect: { name: 'lots' } },
  { path: '/lots', name: 'lots', component: () => import('./screens/listings/LotsScreen.vue'), meta: { tab: 'lots' } },
  { path: '/lots/new', name: 'lot-new', component: () => import('./screens/listings/LotEditScreen.vue'), meta: { tab: 'lots' } },
  { path: '/lots/:id', name: 'lot', component: () => import('./screens/listings/LotEditScreen.vue'), meta: { tab: 'lots' } },
  { path: '/import', name: 'import', component: () => import('./screens/listings/ImportScreen.vue'), meta: { tab: 'lots' } },
  { path: '/proposals', name: 'proposals', component: () => import('./screens/proposals/ProposalsScreen.vue'), meta: { tab: 'proposals' } },
  { path: '/orders', name: 'orders', component: () => import('./screens/orders/OrdersScreen.vue'), meta: { tab: 'orders' } },
  { path: '/orders/:id', name: 'order', component: () => import('./screens/orders/OrderScreen.vue'), meta: { tab: 'orders' } },
  { path: '/me', name: 'me', component: () => import('./screens/account/AccountScreen.vue'), meta: { tab: 'me' } },
  { path: '/me/payout-account', name: 'payout-account', component: () => import('./screens/account/PayoutAccountScreen.vue'), meta: { tab: 'me' } },
  { path: '/me/members', name: 'members', component: () => import('./screens/account/MembersScreen.vue'), meta: { tab: 'me' } },
  { path: '/me/password', name: 'password', component: () => import('./screens/account/PasswordScreen.vue'), meta: { tab: 'me' } },
  { path: '/me/subsidies', name: 'subsidies', component: () => import('./screens/account/SubsidiesScreen.vue'), meta: { tab: 'me' } },
  { path: '/:rest(.*)*', redirect: { name: 'lots' } },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  return true;
});
