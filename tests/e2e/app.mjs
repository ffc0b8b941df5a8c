// Page objects: the app as a worker uses it, found by data-testid.
import { expect } from "@playwright/test";

export class VisitApp {
  constructor(page) {
    this.page = page;
  }

  async open(url) {
    await this.page.goto(url);
    await expect(this.page.getByTestId("new-visit")).toBeVisible();
  }

  /** Waits until the service worker controls the page, so it opens with no network. */
  async waitForOfflineReady() {
    await this.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
      }
    });
  }

  async startVisit() {
    await this.page.getByTestId("new-visit").click();
    await expect(this.page.getByTestId("visit-form")).toBeVisible();
  }

  async fillVisit({ name, risk = 1, type = 0, notes = "" }) {
    await this.page.getByTestId("child-name").fill(name);
    await this.page.getByTestId("choices-visit_type").getByRole("radio").nth(type).click();
    await this.page.getByTestId("choices-risk_colour").getByRole("radio").nth(risk).click();
    if (notes) await this.page.getByTestId("notes").fill(notes);
  }

  async save() {
    await this.page.getByTestId("save-visit").click();
    await expect(this.page.getByTestId("visit-list")).toBeVisible();
  }

  visitItem(name) {
    return this.page.getByTestId("visit-item").filter({ hasText: name });
  }

  async expectState(name, state, timeout) {
    await expect(this.visitItem(name).getByTestId("sync-state")).toHaveAttribute("data-state", state, { timeout });
  }

  pendingCount() {
    return this.page.getByTestId("sync-pending");
  }
}
