//! Hot reload of rules (being written).
