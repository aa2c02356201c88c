//! Process-wide state: sysctl values.
