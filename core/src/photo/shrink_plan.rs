//! How the phone shrinks a photo before storing it: the size to draw it at and the JPEG
//! qualities to try, so that a typical 12 MP photo ends near 250 KB and none above 350 KB.
//! The browser does the decoding and encoding; this decides.

/// The long side of a shrunk photo, in pixels.
pub const LONG_SIDE: u32 = 1600;
/// What a typical shrunk photo should weigh.
pub const TARGET_BYTES: u64 = 250_000;
/// What no shrunk photo may weigh more than.
pub const MAX_BYTES: u64 = 350_000;

/// JPEG qualities tried in turn at one size, from the first.
const QUALITIES: [f64; 4] = [0.78, 0.66, 0.54, 0.42];
/// When the lowest quality is still too heavy, the long side is scaled by this and the
/// qualities are tried again.
const SIDE_STEP: f64 = 0.75;
/// Below this long side the plan gives up: nothing a camera makes gets here.
const SMALLEST_SIDE: u32 = 400;

/// The plan for one photo, from its decoded size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShrinkPlan {
    source: (u32, u32),
}

/// One encoding to try.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShrinkStep {
    /// The size to draw at, never larger than the source.
    pub width: u32,
    pub height: u32,
    /// The JPEG quality, 0 to 1, as `toBlob` takes it.
    pub quality: f64,
}

impl ShrinkPlan {
    /// A plan for a decoded image of `width` × `height` (orientation already applied).
    pub fn new(width: u32, height: u32) -> ShrinkPlan {
        ShrinkPlan { source: (width.max(1), height.max(1)) }
    }

    /// The first encoding to try.
    pub fn first(&self) -> ShrinkStep {
        self.step(LONG_SIDE, 0)
    }

    /// What to try after `tried` gave `bytes`: `None` when that result is kept. Results
    /// at most [`MAX_BYTES`] are kept; heavier ones are tried at a lower quality, then a
    /// smaller size. Also `None` when nothing is left to try (the caller then refuses).
    pub fn next(&self, tried: ShrinkStep, bytes: u64) -> Option<ShrinkStep> {
        if bytes <= MAX_BYTES {
            return None;
        }
        let long_side = tried.width.max(tried.height);
        match QUALITIES.iter().position(|q| *q == tried.quality) {
            Some(i) if i + 1 < QUALITIES.len() => Some(self.step(long_side, i + 1)),
            _ => {
                let smaller = (f64::from(long_side) * SIDE_STEP).round() as u32;
                (smaller >= SMALLEST_SIDE).then(|| self.step(smaller, 0))
            }
        }
    }

    /// Whether a result of `bytes` may be stored.
    pub fn accepts(bytes: u64) -> bool {
        bytes <= MAX_BYTES
    }

    fn step(&self, long_side: u32, quality: usize) -> ShrinkStep {
        let (w, h) = self.source;
        let scale = (f64::from(long_side) / f64::from(w.max(h))).min(1.0);
        let side = |s: u32| ((f64::from(s) * scale).round() as u32).max(1);
        ShrinkStep { width: side(w), height: side(h), quality: QUALITIES[quality] }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_12_megapixel_photo_is_drawn_1600_on_its_long_side() {
        assert_eq!(ShrinkPlan::new(4000, 3000).first(), ShrinkStep { width: 1600, height: 1200, quality: 0.78 });
        assert_eq!(ShrinkPlan::new(3000, 4000).first(), ShrinkStep { width: 1200, height: 1600, quality: 0.78 });
    }

    #[test]
    fn a_small_photo_is_not_enlarged() {
        assert_eq!(ShrinkPlan::new(800, 600).first(), ShrinkStep { width: 800, height: 600, quality: 0.78 });
    }

    #[test]
    fn a_result_within_the_limit_is_kept() {
        let plan = ShrinkPlan::new(4000, 3000);
        assert_eq!(plan.next(plan.first(), MAX_BYTES), None);
        assert!(ShrinkPlan::accepts(MAX_BYTES) && !ShrinkPlan::accepts(MAX_BYTES + 1));
    }

    #[test]
    fn too_heavy_results_lower_the_quality_then_the_size_and_end() {
        let plan = ShrinkPlan::new(4000, 3000);
        let mut step = plan.first();
        let mut steps = vec![step];
        while let Some(next) = plan.next(step, MAX_BYTES + 1) {
            step = next;
            steps.push(step);
        }
        assert_eq!(steps[1], ShrinkStep { width: 1600, height: 1200, quality: 0.66 });
        assert_eq!(steps[4], ShrinkStep { width: 1200, height: 900, quality: 0.78 }, "then smaller");
        assert!(steps.iter().all(|s| s.width >= SMALLEST_SIDE && s.width <= 1600));
        assert!(steps.len() < 30, "the plan ends");
        assert!(steps.windows(2).all(|w| (w[1].width, -w[1].quality) != (w[0].width, -w[0].quality)));
    }

    #[test]
    fn a_degenerate_size_is_still_a_plan() {
        let step = ShrinkPlan::new(0, 0).first();
        assert_eq!((step.width, step.height), (1, 1));
        let tall = ShrinkPlan::new(10, 100_000).first();
        assert_eq!((tall.width, tall.height), (1, 1600));
    }
}
