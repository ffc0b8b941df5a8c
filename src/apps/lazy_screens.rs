//! What of an app is not drawn from its first piece of WebAssembly. The app's binary names
//! it as split points (`src/bin/*/`: the [`ScreenPiece`]s it starts the app with), and
//! `scripts/split-wasm.mjs` cuts them out when the app is built, so that a first visit sends
//! only what the lock needs. The app itself ([`app_piece!`]: the field app's due list,
//! sync and router; the oversight app's township screens) and the field app's other screens
//! are pieces fetched in the background from the start, while she types her PIN
//! ([`provide_piece`]), and otherwise when one of their screens is first opened. Where a piece
//! cannot be fetched (no network, and no service worker that kept it), the screen says so
//! and tries again when asked.

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
    CasePlan,
    VisitList,
    VisitForm,
    Settings,
    Join,
}

/// A piece of the app could not be fetched.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("a piece of the app could not be fetched")]
pub struct PieceNotFetched;

/// What is fetched in the background, or waited for before a screen is drawn.
pub type Fetching<T> = Pin<Box<dyn Future<Output = Result<T, PieceNotFetched>>>>;

/// An app's lazily loaded screens `S`, as its binary built them: a library linked into both
/// apps cannot hold the split points, or each app would carry the other's screens. Each
/// app as a whole is one, drawn behind its lock ([`AppPiece`]); the field app's other
/// screens are [`LazyScreen`]s.
pub struct ScreenPiece<S = LazyScreen> {
    /// A screen, drawn once the piece is on the phone.
    pub view: fn(S) -> Fetching<AnyView>,
    /// Fetches the piece without drawing anything.
    pub fetch: fn() -> Fetching<()>,
}

/// What an app's own piece draws: the app as a whole, behind its lock; or, on the lock
/// screen, the recovery of a forgotten PIN (it needs the network anyway, so a first visit
/// does not carry it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppScreen {
    App,
    PinRecovery,
}

/// An app that is one lazily loaded piece as a whole ([`AppScreen`]).
pub type AppPiece = ScreenPiece<AppScreen>;

/// Defines, in an app's binary, `APP_PIECE`: the app component `$app` as a split point of
/// its own (the piece `app`), drawn behind the lock once it is on the phone, with the
/// recovery of a forgotten PIN in the same piece; `$seal` seals what the app kept before
/// PINs ([`super::SealedFirst`]) before it is drawn. Only a binary
/// may hold a split point (see [`ScreenPiece`]); each binary says which app it is.
#[macro_export]
macro_rules! app_piece {
    ($app:ident, $seal:path) => {
        /// This build's app, fetched while she types her PIN.
        pub const APP_PIECE: $crate::apps::AppPiece = $crate::apps::AppPiece { view: app_view, fetch: app_fetch };

        fn app_view(screen: $crate::apps::AppScreen) -> $crate::apps::Fetching<::leptos::prelude::AnyView> {
            ::std::boxed::Box::pin(async move {
                let drawn = match screen {
                    $crate::apps::AppScreen::App => app_behind_lock().await,
                    $crate::apps::AppScreen::PinRecovery => pin_recovery().await,
                };
                drawn.map_err(|_| $crate::apps::PieceNotFetched)
            })
        }

        fn app_fetch() -> $crate::apps::Fetching<()> {
            ::std::boxed::Box::pin(async { fetch_app().await.map_err(|_| $crate::apps::PieceNotFetched) })
        }

        #[::wasm_split_helpers::wasm_split(app, fallible, preload(fetch_app))]
        fn app_behind_lock() -> ::std::result::Result<::leptos::prelude::AnyView, ::wasm_split_helpers::SplitLoaderError> {
            use ::leptos::prelude::*;
            Ok(view! { <$crate::apps::SealedFirst app=|| view! { <$app /> }.into_any() seal=$seal /> }.into_any())
        }

        #[::wasm_split_helpers::wasm_split(app, fallible)]
        fn pin_recovery() -> ::std::result::Result<::leptos::prelude::AnyView, ::wasm_split_helpers::SplitLoaderError> {
            use ::leptos::prelude::*;
            Ok(view! { <$crate::apps::PinRecovery /> }.into_any())
        }
    };
}

impl<S> Clone for ScreenPiece<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for ScreenPiece<S> {}

/// How long after a failed fetch a piece is tried again.
const FETCH_AGAIN_AFTER: Duration = Duration::from_secs(30);

/// Provides `piece` to the screens that draw from it ([`LazyScreenView`]) and fetches it in
/// the background, once `behind` (a piece that needs the link first) is on the phone and
/// `after` more has passed (an app behind its lock at once; its other screens after the app,
/// so that on a slow link they do not share it with the piece that draws her home screen),
/// and again every little while until it is on the phone: then each of its screens opens
/// offline for the rest of the session, even on a phone without a service worker to keep it.
pub fn provide_piece<S: Send + Sync + 'static>(
    piece: ScreenPiece<S>,
    behind: Option<fn() -> Fetching<()>>,
    after: Duration,
) {
    provide_context(piece);
    leptos::task::spawn_local(async move {
        let mut wait = after;
        loop {
            // The loader keeps one fetch of a piece: this waits for the one under way.
            if let Some(first) = behind {
                if first().await.is_err() {
                    gloo_timers::future::sleep(FETCH_AGAIN_AFTER).await;
                    continue;
                }
            }
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
