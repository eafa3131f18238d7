/** Ready between listening and the start of shutdown; load balancers stop sending before exit. */
export class IngressReadiness {
  private ready = false;

  markReady(): void {
    this.ready = true;
  }

  markDraining(): void {
    this.ready = false;
  }

  isReady(): boolean {
    return this.ready;
  }
}
