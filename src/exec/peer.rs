//! Who is at the other end of a loopback connection to the credential
//! endpoint: on Linux, the user owning the peer's socket, looked up by its
//! address and port. The endpoint serves only its own user's processes;
//! another local user cannot even hold a connection open.
//!
//! The lookup asks the kernel for that one socket (`NETLINK_SOCK_DIAG`, what
//! `ss` uses: [`diag_owner`]), and falls back to reading `/proc/net/tcp`
//! ([`owner`], a parser over the table's text) where netlink is not allowed.
//! The table lists every TCP socket, TIME_WAIT ones included, and grows to
//! megabytes under a connection flood: read on every accept, it made the
//! flood's own CPU cost the endpoint's. Elsewhere than Linux (and where
//! neither answers) every loopback peer is accepted and the token alone
//! guards.

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
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        if let Ok(found) = diag_owner(peer, local) {
            return found == Some(me);
        }
        let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else {
            return true;
        };
        owner(&table, peer, local) == Some(me)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (peer, local);
        true
    }
}

/// The uid owning the TCP socket whose local address is `peer` and whose
/// remote address is `local`, asked of the kernel's socket diagnostics:
/// `Ok(None)` when there is no such socket, an error when netlink cannot be
/// used.
#[cfg(target_os = "linux")]
pub fn diag_owner(peer: SocketAddrV4, local: SocketAddrV4) -> std::io::Result<Option<u32>> {
    use std::io;
    const SOCK_DIAG_BY_FAMILY: u16 = 20;
    const NETLINK_SOCK_DIAG: libc::c_int = 4;
    const NLMSG_ERROR: u16 = 2;
    // struct nlmsghdr, then struct inet_diag_req_v2 (linux/inet_diag.h).
    let mut req = Vec::with_capacity(72);
    req.extend_from_slice(&72u32.to_ne_bytes()); // nlmsg_len
    req.extend_from_slice(&SOCK_DIAG_BY_FAMILY.to_ne_bytes()); // nlmsg_type
    req.extend_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes()); // one socket, no dump
    req.extend_from_slice(&1u32.to_ne_bytes()); // nlmsg_seq
    req.extend_from_slice(&0u32.to_ne_bytes()); // nlmsg_pid
    req.extend_from_slice(&[libc::AF_INET as u8, libc::IPPROTO_TCP as u8, 0, 0]);
    req.extend_from_slice(&u32::MAX.to_ne_bytes()); // idiag_states: any
    // inet_diag_sockid: the socket's own end (the peer), then its remote (us).
    req.extend_from_slice(&peer.port().to_be_bytes());
    req.extend_from_slice(&local.port().to_be_bytes());
    for ip in [peer.ip(), local.ip()] {
        req.extend_from_slice(&ip.octets());
        req.extend_from_slice(&[0; 12]);
    }
    req.extend_from_slice(&0u32.to_ne_bytes()); // idiag_if
    req.extend_from_slice(&[0xff; 8]); // INET_DIAG_NOCOOKIE
    debug_assert_eq!(req.len(), 72);

    // SAFETY: a netlink socket owned here and closed by `OwnedFd`; sendto and
    // recv with pointers to live buffers and their lengths.
    unsafe {
        use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
        let fd = libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_DGRAM | libc::SOCK_CLOEXEC,
            NETLINK_SOCK_DIAG,
        );
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let fd = OwnedFd::from_raw_fd(fd);
        let mut kernel: libc::sockaddr_nl = std::mem::zeroed();
        kernel.nl_family = libc::AF_NETLINK as libc::sa_family_t;
        let sent = libc::sendto(
            fd.as_raw_fd(),
            req.as_ptr().cast(),
            req.len(),
            0,
            (&raw const kernel).cast(),
            std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        );
        if sent < 0 {
            return Err(io::Error::last_os_error());
        }
        // The kernel answers within sendto; never wait for more.
        let mut answer = [0u8; 1024];
        let n = libc::recv(
            fd.as_raw_fd(),
            answer.as_mut_ptr().cast(),
            answer.len(),
            libc::MSG_DONTWAIT,
        );
        if n < 0 {
            return Err(io::Error::last_os_error());
        }
        parse_diag_answer(&answer[..n as usize], NLMSG_ERROR, SOCK_DIAG_BY_FAMILY)
    }
}

/// The uid in a sock_diag answer: `Ok(None)` for "no such socket".
#[cfg(target_os = "linux")]
fn parse_diag_answer(answer: &[u8], error: u16, found: u16) -> std::io::Result<Option<u32>> {
    use std::io;
    let u16_at = |i: usize| {
        answer
            .get(i..i + 2)
            .map(|b| u16::from_ne_bytes([b[0], b[1]]))
    };
    let u32_at = |i: usize| {
        answer
            .get(i..i + 4)
            .map(|b| u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
    };
    match u16_at(4) {
        // nlmsgerr: a negative errno (ENOENT: no such socket).
        Some(t) if t == error => match u32_at(16).map(|e| e as i32) {
            Some(e) if e == -libc::ENOENT => Ok(None),
            Some(e) => Err(io::Error::from_raw_os_error(-e)),
            None => Err(io::Error::other("short netlink error")),
        },
        // inet_diag_msg after the 16-byte header: 4 bytes, the 48-byte
        // sockid, expires, rqueue, wqueue, then the uid.
        Some(t) if t == found => u32_at(16 + 4 + 48 + 12)
            .map(Some)
            .ok_or_else(|| io::Error::other("short sock_diag answer")),
        _ => Err(io::Error::other("unexpected netlink answer")),
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
        // Both ways of looking agree.
        let (SocketAddr::V4(p), SocketAddr::V4(l)) = (peer, listener.local_addr().unwrap()) else {
            panic!("IPv4");
        };
        // SAFETY: geteuid has no preconditions.
        let me = unsafe { libc::geteuid() };
        assert_eq!(diag_owner(p, l).unwrap(), Some(me));
        let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
        assert_eq!(owner(&table, p, l), Some(me));
        assert_eq!(diag_owner(at(1), l).unwrap(), None);
    }
}
