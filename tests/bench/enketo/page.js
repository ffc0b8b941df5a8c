// The peer's page: enketo-core's Form on the form HTML and model the build put in the page,
// as its README shows. When the form is ready for input, `window.__formReady` holds the time.
import { Form } from "enketo-core";

const formEl = document.querySelector("form.or");
const modelStr = document.getElementById("model").textContent;
const form = new Form(formEl, { modelStr }, {});
const loadErrors = form.init();
if (loadErrors.length > 0) console.error("enketo load errors", loadErrors);
window.__enketo = form;
window.__formReady = performance.now();
