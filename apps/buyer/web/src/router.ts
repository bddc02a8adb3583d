import { closeToast } from 'vant';
import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';
import { session } from './api/client';

// Every screen but the first is its own lazy chunk, so the phone downloads only what it opens.
const routes: RouteRecordRaw[] = [
  { path: '/login', name: 'login', component: () => import('./screens/auth/LoginScreen.vue'), meta: { public: true } },
  { path: '/register', name: 'register', component: () => import('./screens/auth/RegisterScreen.vue'), meta: { public: true } },
  { path: '/', redirect: { name: 'search' } },
  { path: '/search', name: 'search', component: () => import('./screens/search/SearchScreen.vue'), meta: { tab: 'search', wide: true } },
  { path: '/lots/:id', name: 'lot', component: () => import('./screens/search/LotScreen.vue'), meta: { tab: 'search' } },
  { path: '/cart', name: 'cart', component: () => import('./screens/cart/CartScreen.vue'), meta: { tab: 'cart' } },
  { path: '/checkout', name: 'checkout', component: () => import('./screens/cart/CheckoutScreen.vue'), meta: { tab: 'cart' } },
  { path: '/placed/:groupId', name: 'placed', component: () => import('./screens/cart/ConfirmationScreen.vue'), meta: { tab: 'orders' } },
  { path: '/orders', name: 'orders', component: () => import('./screens/orders/OrdersScreen.vue'), meta: { tab: 'orders' } },
  { path: '/orders/:id', name: 'order', component: () => import('./screens/orders/OrderScreen.vue'), meta: { tab: 'orders' } },
  { path: '/demands', name: 'demands', component: () => import('./screens/demands/DemandsScreen.vue'), meta: { tab: 'demands' } },
  { path: '/demands/new', name: 'demand-new', component: () => import('./screens/demands/DemandNewScreen.vue'), meta: { tab: 'demands' } },
  { path: '/proposals', name: 'proposals', component: () => import('./screens/proposals/ProposalsScreen.vue'), meta: { tab: 'demands' } },
  { path: '/pools', name: 'pools', component: () => import('./screens/pools/PoolsScreen.vue'), meta: { tab: 'demands' } },
  { path: '/me', name: 'me', component: () => import('./screens/account/AccountScreen.vue'), meta: { tab: 'me' } },
  { path: '/me/password', name: 'password', component: () => import('./screens/account/PasswordScreen.vue'), meta: { tab: 'me' } },
  { path: '/:rest(.*)*', redirect: { name: 'search' } },
];

export const router = createRouter({ history: createWebHashHistory(), routes });

router.beforeEach((to) => {
  if (!to.meta.public && !session.token) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  return true;
});

// A toast of the screen left behind (已加入购物车) does not cover the next one.
router.afterEach(() => closeToast(true));
