//! Fault injection: each [`Fault`] breaks exactly one documented behaviour of the mock, on
//! purpose, so that the suite can prove it notices.
//!
//! Each vendor declares its own catalogue in its folder (`src/vendor/<vendor>/mock/faults.rs`,
//! with [`vendor_faults!`]): an enum of its faults, each with its command-line name, the clauses
//! it breaks and a description. A [`Fault`] is any vendor's fault; [`Fault::all`] is every
//! vendor's catalogue in provider order.
//!
//! ```
//! use checkout_conformance::mock::{Fault, Faults};
//! use checkout_conformance::vendor::Provider;
//!
//! let fault: Fault = "sixth-shipping-option-accepted".parse()?;
//! assert_eq!(fault.provider(), Provider::Stripe);
//! assert_eq!(fault.clauses(), ["shipping_options.maximum"]);
//! let faults = Faults::from_iter([fault]);
//! assert!(faults.has(fault));
//! assert!(!faults.has("metadata-unset-ignored".parse::<Fault>()?));
//! # Ok::<(), checkout_conformance::mock::UnknownFault>(())
//! ```

use crate::vendor::Provider;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

/// One entry of a vendor's fault catalogue ([`Vendor::faults`](crate::vendor::Vendor::faults)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaultDef {
    /// The command-line name, e.g. `metadata-unset-ignored`.
    pub name: &'static str,
    /// The documentation clauses (`features/CLAUSES.md`) the fault breaks.
    pub clauses: &'static [&'static str],
    /// One line: which documented behaviour the fault breaks, and how.
    pub description: &'static str,
}

/// One deliberate deviation from the documentation, of any vendor's half of the mock: a
/// vendor's fault (e.g. `StripeFault::SixthShippingOptionAccepted.into()`) or a name parsed
/// from the command line. `--list-faults` prints them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fault {
    provider: Provider,
    index: u8,
}

impl Fault {
    /// The fault at `index` of `provider`'s catalogue (what [`vendor_faults!`] converts with).
    pub(crate) const fn new(provider: Provider, index: u8) -> Fault {
        Fault { provider, index }
    }

    /// Every fault, in catalogue order: each vendor's, in provider order.
    ///
    /// ```
    /// use checkout_conformance::mock::Fault;
    /// let names: Vec<&str> = Fault::all().iter().map(|f| f.name()).collect();
    /// assert!(names.contains(&"metadata-unset-ignored"));
    /// assert!(names.contains(&"gr4vy-auth-unchecked"));
    /// ```
    pub fn all() -> &'static [Fault] {
        static ALL: OnceLock<Vec<Fault>> = OnceLock::new();
        ALL.get_or_init(|| {
            Provider::ALL
                .iter()
                .flat_map(|&provider| {
                    let count = provider.vendor().faults().len();
                    (0..count)
                        .filter_map(move |i| Some(Fault::new(provider, u8::try_from(i).ok()?)))
                })
                .collect()
        })
    }

    /// Its entry in its vendor's catalogue.
    fn def(self) -> &'static FaultDef {
        // A `Fault` is only made from its vendor's catalogue (`vendor_faults!`, `Fault::all`).
        &self.provider.vendor().faults()[usize::from(self.index)]
    }

    /// The fault's command-line name, e.g. `metadata-unset-ignored`.
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The documentation clauses (`features/CLAUSES.md`) the fault breaks: a scenario tagged
    /// with one of them must fail when the fault is injected (`tests/detection.rs` proves it).
    pub fn clauses(self) -> &'static [&'static str] {
        self.def().clauses
    }

    /// One line: which documented behaviour the fault breaks, and how.
    pub fn description(self) -> &'static str {
        self.def().description
    }

    /// The vendor whose half of the mock the fault breaks.
    pub fn provider(self) -> Provider {
        self.provider
    }

    /// Its position in its vendor's catalogue.
    pub fn index(self) -> usize {
        usize::from(self.index)
    }
}

/// Declares a vendor's fault catalogue in its folder: a `#[repr(u8)]` enum of its faults, each
/// `Variant => "command-line-name", ["clause", …], "description";`, with `ALL` and `TABLE`
/// (what [`Vendor::faults`](crate::vendor::Vendor::faults) returns), its name, clauses and
/// description, and conversions to and from [`Fault`].
macro_rules! vendor_faults {
    (
        $(#[$meta:meta])*
        $provider:ident => $enum:ident {
            $($variant:ident => $name:literal, [$($clause:literal),+], $what:literal;)*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum $enum {
            $(#[doc = $what] $variant,)*
        }

        impl $enum {
            /// Every fault of the catalogue, in its order.
            pub const ALL: &'static [$enum] = &[$($enum::$variant,)*];

            /// The catalogue: each fault's name, clauses and description, in its order.
            pub const TABLE: &'static [FaultDef] = &[$(FaultDef {
                name: $name,
                clauses: &[$($clause),+],
                description: $what,
            },)*];

            /// The fault as a [`Fault`](crate::mock::Fault) (also in `const` items).
            pub const fn fault(self) -> $crate::mock::Fault {
                $crate::mock::Fault::new($crate::vendor::Provider::$provider, self as u8)
            }

            /// The fault's command-line name.
            pub fn name(self) -> &'static str {
                Self::TABLE[self as usize].name
            }

            /// The documentation clauses the fault breaks.
            pub fn clauses(self) -> &'static [&'static str] {
                Self::TABLE[self as usize].clauses
            }

            /// One line: which documented behaviour the fault breaks, and how.
            pub fn description(self) -> &'static str {
                Self::TABLE[self as usize].description
            }
        }

        impl From<$enum> for $crate::mock::Fault {
            fn from(fault: $enum) -> $crate::mock::Fault {
                fault.fault()
            }
        }

        impl TryFrom<$crate::mock::Fault> for $enum {
            type Error = $crate::mock::Fault;

            /// The vendor's fault, or the fault back when it is another vendor's.
            fn try_from(fault: $crate::mock::Fault) -> Result<$enum, $crate::mock::Fault> {
                if fault.provider() != $crate::vendor::Provider::$provider {
                    return Err(fault);
                }
                $enum::ALL.get(fault.index()).copied().ok_or(fault)
            }
        }

        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}
pub(crate) use vendor_faults;

/// A name given to `--fault` that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault `{0}` (see `checkout-conformance mock --list-faults`)")]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::all()
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFault(s.to_owned()))
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How many faults one vendor's catalogue may hold ([`Faults`] keeps one bit per fault).
pub const MAX_FAULTS_PER_VENDOR: usize = 128;

/// The set of faults a mock runs with (empty: the mock follows the documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults([u128; Provider::ALL.len()]);

impl Faults {
    /// No fault.
    pub const NONE: Faults = Faults([0; Provider::ALL.len()]);

    /// The bits of `provider`'s faults: its place in [`Provider::ALL`], which is its
    /// declaration order (`vendors!`), so the discriminant (no search on the mock's hot path).
    fn slot(provider: Provider) -> usize {
        provider as usize
    }

    /// Whether `fault` (any vendor's fault, or a [`Fault`]) is switched on.
    pub fn has(self, fault: impl Into<Fault>) -> bool {
        let fault = fault.into();
        self.0[Self::slot(fault.provider)] & (1 << fault.index) != 0
    }

    /// Whether no fault is switched on.
    pub fn is_empty(self) -> bool {
        self.0.iter().all(|&bits| bits == 0)
    }

    /// The faults switched on, in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Fault> {
        Fault::all().iter().copied().filter(move |&f| self.has(f))
    }
}

/// The faults switched on, by name, comma-separated (empty: none), as reports show them.
///
/// ```
/// use checkout_conformance::mock::{Fault, Faults};
/// let faults: Faults = ["expand-ignored", "auth-unchecked"].map(|n| n.parse::<Fault>().unwrap()).into_iter().collect();
/// assert_eq!(faults.to_string(), "expand-ignored, auth-unchecked");
/// assert_eq!(Faults::NONE.to_string(), "");
/// ```
impl fmt::Display for Faults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, fault) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(fault.name())?;
        }
        Ok(())
    }
}

impl<F: Into<Fault>> FromIterator<F> for Faults {
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> Self {
        let mut faults = Faults::NONE;
        for fault in iter.into_iter().map(Into::into) {
            faults.0[Self::slot(fault.provider)] |= 1 << fault.index;
        }
        faults
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_has_its_own_slot() {
        for (i, &provider) in Provider::ALL.iter().enumerate() {
            assert_eq!(Faults::slot(provider), i);
        }
    }

    #[test]
    fn catalogues_fit_the_bit_set_and_names_are_unique() {
        for &provider in Provider::ALL {
            assert!(provider.vendor().faults().len() <= MAX_FAULTS_PER_VENDOR);
        }
        let mut names: Vec<_> = Fault::all().iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Fault::all().len());
    }

    #[test]
    fn every_name_parses_back() {
        for fault in Fault::all() {
            assert_eq!(fault.name().parse::<Fault>(), Ok(*fault));
        }
        assert!("no-such-fault".parse::<Fault>().is_err());
    }

    #[test]
    fn set_holds_exactly_what_was_put_in() {
        let [a, b, c] = [0, 3, Fault::all().len() - 1].map(|i| Fault::all()[i]);
        let set = Faults::from_iter([c, a]);
        assert_eq!(set.iter().collect::<Vec<_>>(), vec![a, c]);
        assert!(set.has(a) && set.has(c) && !set.has(b));
        assert!(Faults::NONE.is_empty() && !set.is_empty());
    }
}
