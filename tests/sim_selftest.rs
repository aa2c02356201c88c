mod support;
use support::sim::*;

#[test]
fn compiles() {
    let _ = Network::new(1);
}
