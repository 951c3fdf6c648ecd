//! A rate limiter that spaces requests evenly: at most one request per `1 / rate` seconds,
//! whatever the number of tasks sending them.
//!
//! Each caller reserves the next free slot under a lock (a few nanoseconds, never held across
//! an `.await`) and sleeps until it on tokio's clock. Slots are handed out in call order, idle
//! time does not accumulate credit, so there is no burst at the start nor after a pause: any
//! window of one second holds at most `ceil(rate)` slots. A caller that is cancelled while it
//! waits leaves its slot unused (the limiter errs on the slow side).

use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

/// Spaces calls to [`RateLimiter::acquire`] at least `1 / rate` seconds apart. Share it with an
/// `Arc`; [`Client`](super::Client) does so for all its clones.
///
/// ```
/// use checkout_conformance::client::RateLimiter;
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// let limiter = RateLimiter::new(100.0).expect("a positive rate");
/// let started = std::time::Instant::now();
/// for _ in 0..5 {
///     limiter.acquire().await;
/// }
/// // The first call goes at once, the next four 10 ms apart.
/// assert!(started.elapsed() >= std::time::Duration::from_millis(39));
/// # }
/// ```
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    /// The earliest instant the next slot may start.
    next: Mutex<Option<Instant>>,
}

/// A rate that is not a positive, finite number of requests per second (or so small that one
/// request per interval cannot be represented).
///
/// ```
/// use checkout_conformance::client::{InvalidRate, RateLimiter};
/// let error = RateLimiter::new(-2.0).unwrap_err();
/// assert_eq!(error, InvalidRate(-2.0));
/// assert_eq!(error.to_string(), "invalid rate -2: expected a positive number of requests per second");
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid rate {0}: expected a positive number of requests per second")]
pub struct InvalidRate(pub f64);

impl RateLimiter {
    /// A limiter letting through `rate` calls per second, evenly spaced.
    ///
    /// ```
    /// use checkout_conformance::client::RateLimiter;
    /// assert!(RateLimiter::new(20.0).is_ok());
    /// assert!(RateLimiter::new(0.0).is_err());
    /// assert!(RateLimiter::new(f64::NAN).is_err());
    /// ```
    pub fn new(rate: f64) -> Result<RateLimiter, InvalidRate> {
        if !(rate.is_finite() && rate > 0.0) {
            return Err(InvalidRate(rate));
        }
        let interval = Duration::try_from_secs_f64(1.0 / rate).map_err(|_| InvalidRate(rate))?;
        Ok(RateLimiter {
            interval,
            next: Mutex::new(None),
        })
    }

    /// The spacing between two calls.
    ///
    /// ```
    /// use checkout_conformance::client::RateLimiter;
    /// let limiter = RateLimiter::new(20.0).expect("a positive rate");
    /// assert_eq!(limiter.interval(), std::time::Duration::from_millis(50));
    /// ```
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits for the next free slot and returns how long the wait was.
    ///
    /// ```
    /// use checkout_conformance::client::RateLimiter;
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let limiter = RateLimiter::new(10.0).expect("a positive rate");
    /// assert!(limiter.acquire().await < std::time::Duration::from_millis(5));
    /// assert!(limiter.acquire().await > std::time::Duration::from_millis(90));
    /// # }
    /// ```
    pub async fn acquire(&self) -> Duration {
        let now = Instant::now();
        let slot = {
            let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
            let slot = next.map_or(now, |n| n.max(now));
            *next = Some(slot + self.interval);
            slot
        };
        if slot > now {
            tokio::time::sleep_until(slot).await;
        }
        slot - now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    // On tokio's paused clock: the slots are exact whatever the machine's load (a loaded CI
    // machine descheduled the callers of a real-time version of this test).
    #[tokio::test(start_paused = true)]
    async fn concurrent_callers_are_spaced_evenly() {
        let limiter = Arc::new(RateLimiter::new(200.0).expect("a positive rate"));
        let started = Instant::now();
        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let limiter = Arc::clone(&limiter);
                tokio::spawn(async move {
                    limiter.acquire().await;
                    started.elapsed()
                })
            })
            .collect();
        let mut times = Vec::new();
        for task in tasks {
            times.push(task.await.expect("the task completes"));
        }
        times.sort();
        // 20 slots 5 ms apart: the last one 95 ms after the first.
        assert!(times[19] >= Duration::from_millis(94), "{times:?}");
        // No two callers in the same slot: each 5 ms after the one before.
        for pair in times.windows(2) {
            assert!(pair[1] - pair[0] >= Duration::from_millis(5), "{times:?}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn idle_time_earns_no_burst() {
        let limiter = RateLimiter::new(50.0).expect("a positive rate");
        limiter.acquire().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(limiter.acquire().await < Duration::from_millis(2));
        assert!(limiter.acquire().await >= Duration::from_millis(15));
    }

    #[test]
    fn rejects_rates_that_are_not_positive_and_finite() {
        for rate in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e-300] {
            assert!(RateLimiter::new(rate).is_err(), "{rate}");
        }
    }
}
