//! The arithmetic every scorer shares, so precision, recall and F1 mean the same thing
//! (and treat empty denominators the same way) in every figure Parallax reports.

/// `num / den`, or 0 when there is nothing to divide by (no predictions, no gold).
pub fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Harmonic mean of precision and recall; 0 when both are 0.
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    }
}

/// Items per second, or 0 for a run too short to time.
pub fn per_second(items: usize, seconds: f64) -> f64 {
    if seconds > 0.0 {
        items as f64 / seconds
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_denominators_score_zero() {
        assert_eq!(ratio(3, 0), 0.0);
        assert_eq!(f1(0.0, 0.0), 0.0);
        assert_eq!(per_second(10, 0.0), 0.0);
        assert!((f1(ratio(1, 2), ratio(1, 1)) - 2.0 / 3.0).abs() < 1e-12);
    }
}
