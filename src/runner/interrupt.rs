//! Ctrl-C (SIGINT) and SIGTERM (CI cancellation, `timeout`), both handled from the moment the
//! run's runtime starts: a signal that arrives before the scenarios start still stops the run
//! cleanly (reports written, sessions cleaned up, exit 130).

use tokio::sync::watch;

/// Whether a stopping signal arrived; clones share it.
#[derive(Debug, Clone)]
pub struct Interrupt {
    received: watch::Receiver<bool>,
}

impl Interrupt {
    /// Installs the handlers now (call it first thing on the runtime).
    pub fn install() -> Interrupt {
        let (tx, rx) = watch::channel(false);
        #[cfg(unix)]
        {
            use tokio::signal::unix::{signal, SignalKind};
            // Registered here, synchronously: from now on the signals are ours.
            let interrupt = signal(SignalKind::interrupt());
            let terminate = signal(SignalKind::terminate());
            tokio::spawn(async move {
                match (interrupt, terminate) {
                    (Ok(mut interrupt), Ok(mut terminate)) => {
                        tokio::select! {
                            _ = interrupt.recv() => {}
                            _ = terminate.recv() => {}
                        }
                    }
                    _ => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
                let _ = tx.send(true);
            });
        }
        #[cfg(not(unix))]
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = tx.send(true);
        });
        Interrupt { received: rx }
    }

    /// An interrupt that never fires (for embedding the runner, benchmarks).
    pub fn never() -> Interrupt {
        Interrupt {
            received: watch::channel(false).1,
        }
    }

    /// Waits for a signal; forever when none can come any more (no handler).
    pub async fn wait(&mut self) {
        if self.received.wait_for(|v| *v).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
