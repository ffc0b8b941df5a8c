//! The field app's screens that drawing the due list does not need. Their code is one
//! WebAssembly piece of its own: the field app's binary names them as split points
//! (`src/bin/tongxing/screen_piece.rs`, the [`ScreenPiece`] it starts the app with), and
//! `scripts/split-wasm.mjs` cuts them out when the app is built, so a director's first visit
//! sends only what the lock and the due list need. The piece is fetched in the background
//! soon after the start, while she types her PIN ([`fetch_screens_soon`]), and otherwise
//! when one of its screens is first opened; where it cannot be fetched (no network, and no service worker that kept
//! it), the screen says so and tries again when asked, and the rest of the app goes on.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use leptos::prelude::*;
use send_wrapper::SendWrapper;

use crate::components::Loading;
use crate::context::use_lang;

/// A screen of the field app that is not drawn from the first piece.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LazyScreen {
    ChildList,
    ChildForm,
    Child,
    VisitList,
    VisitForm,
    Settings,
    Join,
}

/// The piece of the lazy screens could not be fetched.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the screens' piece could not be fetched")]
pub struct PieceNotFetched;

/// What is fetched in the background, or waited for before a screen is drawn.
pub type Fetching<T> = Pin<Box<dyn Future<Output = Result<T, PieceNotFetched>>>>;

/// An app's lazily loaded screens `S`, as its binary built them: a library linked into both
/// apps cannot hold the split points, or each app would carry the other's screens. The
/// field app's are [`LazyScreen`]s; the oversight app is one such screen as a whole
/// ([`AppPiece`]), drawn once her PIN is typed.
pub struct ScreenPiece<S = LazyScreen> {
    /// A screen, drawn once the piece is on the phone.
    pub view: fn(S) -> Fetching<AnyView>,
    /// Fetches the piece without drawing anything.
    pub fetch: fn() -> Fetching<()>,
}

/// An app that is one lazily loaded screen as a whole, behind its lock.
pub type AppPiece = ScreenPiece<()>;

impl<S> Clone for ScreenPiece<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for ScreenPiece<S> {}

/// How long after the start the piece is fetched in the background, and how long after a
/// failed fetch it is tried again: the first screen and the first send go first.
const FETCH_AFTER: Duration = Duration::from_secs(3);
const FETCH_AGAIN_AFTER: Duration = Duration::from_secs(30);

/// Fetches the piece of the lazy screens in the background, after the first screen, and
/// again every little while until it is on the phone: then each of them opens offline for
/// the rest of the session, even on a phone without a service worker to keep it.
pub fn fetch_screens_soon<S: 'static>(piece: ScreenPiece<S>) {
    leptos::task::spawn_local(async move {
        let mut wait = FETCH_AFTER;
        loop {
            gloo_timers::future::sleep(wait).await;
            if (piece.fetch)().await.is_ok() {
                return;
            }
            wait = FETCH_AGAIN_AFTER;
        }
    });
}

/// `screen`, drawn once its piece is on the phone; "loading" until then, and where it
/// cannot be fetched, a sentence saying so with a way to try again.
#[component]
pub fn LazyScreenView<S: Copy + Send + Sync + 'static>(screen: S) -> impl IntoView {
    let piece = expect_context::<ScreenPiece<S>>();
    let attempt = RwSignal::new(0_u32);
    let retry = Callback::new(move |()| attempt.update(|n| *n += 1));
    view! {
        <Suspense fallback=|| view! { <Loading /> }>
            {move || {
                attempt.track();
                Suspend::new(SendWrapper::new(async move {
                    match (piece.view)(screen).await {
                        Ok(view) => view,
                        Err(PieceNotFetched) => view! { <ScreenNotFetched retry /> }.into_any(),
                    }
                }))
            }}
        </Suspense>
    }
}

/// "This screen is not on the phone yet: it needs the network once", and "try again".
#[component]
fn ScreenNotFetched(retry: Callback<()>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="page" data-testid="screen-not-fetched">
            <p class="error" role="alert">
                {move || lang.get().pick(
                    "这个页面还没有下载到手机上，第一次打开需要网络。有网络时再试一次。",
                    "This screen is not on the phone yet: it needs the network the first time it opens. Try again when there is a connection.",
                )}
            </p>
            <button class="button" data-testid="screen-fetch-again" on:click=move |_| retry.run(())>
                {move || lang.get().pick("再试一次", "Try again")}
            </button>
        </section>
    }
}
