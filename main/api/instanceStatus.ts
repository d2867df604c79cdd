// The one status derivation (list, list --watch, status, the controller, the tray) lives beside the
// Docker types it reads; the window's side imports it from here.
export { instanceStatus } from '../docker/status/status';
