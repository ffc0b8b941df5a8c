//! The oversight app as a whole, a split point (see `tongxing::apps::lazy_screens`): its
//! first piece holds only the lock, and the app's screens are the piece `app`, which
//! `scripts/split-wasm.mjs` cuts out of this binary and the phone fetches while she types
//! her PIN. `fallible`, so a piece that cannot be fetched is a sentence, not a panic.

use leptos::prelude::*;
use tongxing::apps::{AppPiece, Fetching, OversightApp, PieceNotFetched};
use wasm_split_helpers::{wasm_split, SplitLoaderError};

/// The oversight app of this build.
pub const APP_PIECE: AppPiece = AppPiece { view, fetch };

fn view((): ()) -> Fetching<AnyView> {
    Box::pin(async { oversight_app().await.map_err(|_: SplitLoaderError| PieceNotFetched) })
}

fn fetch() -> Fetching<()> {
    Box::pin(async { fetch_app().await.map_err(|_| PieceNotFetched) })
}

#[wasm_split(app, fallible, preload(fetch_app))]
fn oversight_app() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <OversightApp /> }.into_any())
}
