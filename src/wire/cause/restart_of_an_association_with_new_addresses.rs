//! Restart of an Association with New Addresses cause (code 11), RFC 9260 §3.3.10.11: an INIT restarting an association added addresses.

use crate::wire::param::Address;
use crate::wire::tlv::ParamIter;
use crate::wire::Result;

crate::wire::element::bytes_element!(
    /// Restart of an Association with New Addresses (RFC 9260 §3.3.10.11).
    RestartOfAnAssociationWithNewAddresses = 11,
    /// The address parameters (TLVs) that were added, as received.
    address_params
);

impl<'a> RestartOfAnAssociationWithNewAddresses<'a> {
    /// The added addresses, parsed one by one.
    pub fn addresses(&self) -> impl Iterator<Item = Result<Address>> + 'a {
        ParamIter::new(self.address_params).map(|raw| raw.and_then(|raw| Address::parse(&raw)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::element::testing::{emitted, raw};
    use std::net::Ipv4Addr;

    #[test]
    fn two_new_addresses() {
        let bytes = [
            0, 11, 0, 20, 0, 5, 0, 8, 10, 0, 0, 1, 0, 5, 0, 8, 10, 0, 0, 2,
        ];
        let c = RestartOfAnAssociationWithNewAddresses::parse(&raw(&bytes)).unwrap();
        let addrs: Vec<_> = c.addresses().collect::<Result<_>>().unwrap();
        assert_eq!(
            addrs,
            [
                Address::V4(Ipv4Addr::new(10, 0, 0, 1)),
                Address::V4(Ipv4Addr::new(10, 0, 0, 2))
            ]
        );
        assert_eq!(emitted(20, |b| c.emit(b)), bytes);
    }
}
