//! Who is at the other end of a loopback connection to the credential
//! endpoint: on Linux, the user owning the peer's socket, looked up by its
//! address and port in `/proc/net/tcp` ([`owner`], a parser over the table's
//! text). The endpoint serves only its own user's processes; another local
//! user cannot even hold a connection open. Elsewhere (and where `/proc` is
//! not mounted) every loopback peer is accepted and the token alone guards.

use std::net::SocketAddr;
#[cfg(target_os = "linux")]
use std::net::SocketAddrV4;

/// Whether the peer at `peer`, connected to our socket at `local`, belongs to
/// this process's effective user. A peer that cannot be found (it closed
/// already) is refused; a table that cannot be read accepts everyone.
pub fn same_user(peer: SocketAddr, local: SocketAddr) -> bool {
    #[cfg(target_os = "linux")]
    {
        let (SocketAddr::V4(peer), SocketAddr::V4(local)) = (peer, local) else {
            return false;
        };
        let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else {
            return true;
        };
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        owner(&table, peer, local) == Some(me)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (peer, local);
        true
    }
}

/// The uid owning the socket whose local address is `peer` and whose remote
/// address is `local`, in the text of `/proc/net/tcp`.
#[cfg(target_os = "linux")]
pub fn owner(table: &str, peer: SocketAddrV4, local: SocketAddrV4) -> Option<u32> {
    let hex = |a: SocketAddrV4| {
        // The kernel prints the address as the u32 it holds in network order.
        format!(
            "{:08X}:{:04X}",
            u32::from_ne_bytes(a.ip().octets()),
            a.port()
        )
    };
    let (want_local, want_remote) = (hex(peer), hex(local));
    table.lines().skip(1).find_map(|line| {
        let mut fields = line.split_whitespace();
        let (_, l, r) = (fields.next()?, fields.next()?, fields.next()?);
        if l != want_local || r != want_remote {
            return None;
        }
        // st, tx_queue:rx_queue, tr:tm->when, retrnsmt, then uid.
        fields.nth(4)?.parse().ok()
    })
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    const TABLE: &str = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:9C41 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1000 1 0000000000000000 100 0 0 10 0
   1: 0100007F:D431 0100007F:9C41 01 00000000:00000000 00:00000000 00000000 65534        0 1001 1 0000000000000000 20 4 30 10 -1
   2: 0100007F:9C41 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 1002 1 0000000000000000 20 4 30 10 -1
   3: 0100007F:D432 0100007F:9C41 01 00000000:00000000 00:00000000 00000000  1000        0 1003 1 0000000000000000 20 4 30 10 -1
";

    fn at(port: u16) -> SocketAddrV4 {
        SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)
    }

    #[test]
    fn finds_the_peer_socket_by_both_ends() {
        // 0x9C41 = 40001, the endpoint; 0xD431 = 54321 and 0xD432, two clients.
        assert_eq!(owner(TABLE, at(54321), at(40001)), Some(65534));
        assert_eq!(owner(TABLE, at(54322), at(40001)), Some(1000));
        // Our own end of the first connection is not the peer's.
        assert_eq!(owner(TABLE, at(40001), at(54321)), Some(0));
        assert_eq!(owner(TABLE, at(54323), at(40001)), None);
        assert_eq!(owner("", at(54321), at(40001)), None);
    }

    #[test]
    fn a_real_connection_is_ours() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (_server, peer) = listener.accept().unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert!(same_user(peer, listener.local_addr().unwrap()));
        let stranger = SocketAddr::from(([127, 0, 0, 1], 1));
        assert!(!same_user(stranger, listener.local_addr().unwrap()));
    }
}
