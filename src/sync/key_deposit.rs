//! Depositing the vault's data key with the server (`PUT /api/v1/devices/me/recovery-key`),
//! once per enrolment, after a run that reached the server, so that her supervisor can give
//! it back if she forgets her PIN (core's `wire::RecoveryKeyDeposit`).

use tongxing_core::enrolment::DeviceEnrolment;
use tongxing_core::wire::{HexKey, RecoveryKeyDeposit, API_PREFIX};
use tongxing_core::Lang;

use super::HttpTransport;
use crate::storage::enrolment;
use crate::vault;

/// Sends the data key if this enrolment has not yet; notes it once the server has it. Any
/// failure leaves it to the next run.
pub async fn deposit_if_due(enrolled: &DeviceEnrolment, lang: Lang) {
    if enrolled.key_deposited {
        return;
    }
    let (Some(kept), Some(key)) = (vault::kept_vault(), vault::held()) else { return };
    let deposit = RecoveryKeyDeposit { vault_id: kept.id, key: HexKey::new(key) };
    let Ok(body) = serde_json::to_string(&deposit) else { return };
    let transport = HttpTransport::new(enrolled.server.clone(), Some(enrolled), lang);
    let Ok(reply) = transport.put_json(&format!("{API_PREFIX}/devices/me/recovery-key"), body).await else { return };
    // Unless the phone joined again meanwhile (in another tab).
    if (200..300).contains(&reply.status) && enrolment::load().as_ref() == Some(enrolled) {
        let _ = enrolment::store(&enrolled.deposited());
    }
}
