//! Getting the data key back when a worker forgot her PIN: her supervisor issued a recovery
//! code for this phone; with it the locked phone asks its server (`POST /api/v1/recovery`,
//! without a token, which is sealed), checks that the key opens her enrolment, and wraps it
//! under her new PIN. Nothing kept on the phone is lost.

use tongxing_core::vault::{read_recovery, KeptVault, Pin, PinRule, RecoveryCode, RecoveryProblem};
use tongxing_core::wire::{RecoveryClaim, API_PREFIX};
use tongxing_core::Lang;

use super::HttpTransport;
use crate::storage::enrolment;
use crate::vault;

/// Recovers the open space's data key with `code` and wraps it under `pin`, chosen under
/// `rule`; the vault is left unlocked. A sentence for the worker when it cannot.
pub async fn recover_key(code: RecoveryCode, pin: &Pin, rule: PinRule, lang: Lang) -> Result<KeptVault, String> {
    let problem = |problem: RecoveryProblem| problem.message(lang);
    let kept = vault::kept_vault().ok_or(RecoveryProblem::NotJoined).map_err(problem)?;
    let server = kept.holder.and_then(|holder| holder.server).ok_or(RecoveryProblem::NotJoined).map_err(problem)?;
    let claim = serde_json::to_string(&RecoveryClaim { vault_id: kept.id, code }).unwrap_or_default();
    let reply = HttpTransport::new(server, None, lang).post_json(&format!("{API_PREFIX}/recovery"), claim).await;
    let recovered = read_recovery(reply).map_err(problem)?;
    vault::unlock_with(recovered.key.key().clone());
    // The right key opens her enrolment, sealed under it.
    if enrolment::load().is_none() {
        vault::lock();
        return Err(problem(RecoveryProblem::WrongKey));
    }
    vault::rewrap(pin, rule).await.map_err(|error| {
        vault::lock();
        error.message(lang)
    })
}
