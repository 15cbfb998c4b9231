/** The stores domain: what routes and other domains use of it. */
export { createProduct, findProduct, getProduct, listProducts, toProductView, updateProduct } from './catalog';
export { clearCheckoutTheme, getCheckout, getPortalConfig, setCheckoutTheme } from './checkouts';
export {
  authenticateStore,
  createStore,
  downloadSigningSecret,
  findStore,
  getStore,
  listStores,
  rotateCredentials,
  rotateDownloadSigningSecret,
  setStoreValue,
  storeFieldNames,
  updateStoreSettings,
  type ApiCredentials,
} from './stores';
export { setSellerDetails, toSellerView, type SellerView } from './seller';
