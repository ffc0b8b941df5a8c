//! The field app's lazily loaded screens as split points (see
//! `tongxing::apps::lazy_screens`): all in the one piece `screens`, which
//! `scripts/split-wasm.mjs` cuts out of this binary. They live here, not in the library,
//! because a split point is an exported symbol: the linker would keep it, and all it draws,
//! in the oversight app too. Each is `fallible`, so a piece that cannot be fetched is an
//! error the screen shows, not a panic.

use leptos::prelude::*;
use tongxing::apps::{Fetching, LazyScreen, PieceNotFetched, ScreenPiece};
use tongxing::pages::{
    CasePlanPage, ChildFormPage, ChildListPage, ChildPage, FieldSettingsPage, JoinPage, VisitFormPage, VisitListPage,
};
use wasm_split_helpers::{wasm_split, SplitLoaderError};

/// The lazy screens of this build.
pub const SCREEN_PIECE: ScreenPiece = ScreenPiece { view, fetch };

fn view(screen: LazyScreen) -> Fetching<AnyView> {
    Box::pin(async move {
        let drawn = match screen {
            LazyScreen::ChildList => child_list_screen().await,
            LazyScreen::ChildForm => child_form_screen().await,
            LazyScreen::Child => child_screen().await,
            LazyScreen::CasePlan => case_plan_screen().await,
            LazyScreen::VisitList => visit_list_screen().await,
            LazyScreen::VisitForm => visit_form_screen().await,
            LazyScreen::Settings => settings_screen().await,
            LazyScreen::Join => join_screen().await,
        };
        drawn.map_err(|_: SplitLoaderError| PieceNotFetched)
    })
}

fn fetch() -> Fetching<()> {
    Box::pin(async { fetch_screens().await.map_err(|_| PieceNotFetched) })
}

/// A split point: `$screen` draws `$page`, in the piece `screens` with the others.
macro_rules! lazy_screen {
    ($screen:ident, $page:ident $(, $preload:ident)?) => {
        #[wasm_split(screens, fallible $(, preload($preload))?)]
        fn $screen() -> Result<AnyView, SplitLoaderError> {
            Ok(view! { <$page /> }.into_any())
        }
    };
}

lazy_screen!(child_list_screen, ChildListPage, fetch_screens);
lazy_screen!(child_form_screen, ChildFormPage);
lazy_screen!(child_screen, ChildPage);
lazy_screen!(case_plan_screen, CasePlanPage);
lazy_screen!(visit_list_screen, VisitListPage);
lazy_screen!(visit_form_screen, VisitFormPage);
lazy_screen!(settings_screen, FieldSettingsPage);
lazy_screen!(join_screen, JoinPage);
