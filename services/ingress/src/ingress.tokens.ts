/** Injection token for the IngressClients the host process provides. */
export const INGRESS_CLIENTS = Symbol('INGRESS_CLIENTS');
