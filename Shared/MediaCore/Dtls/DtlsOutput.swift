/// What a DTLS endpoint wants after handling a datagram.
public struct DtlsOutput: Equatable {
    /// Datagrams to send to the peer, each within the MTU.
    public var datagrams: [[UInt8]]
    /// At most one state change caused by this datagram.
    public var event: DtlsEvent?

    public init(datagrams: [[UInt8]] = [], event: DtlsEvent? = nil) {
        self.datagrams = datagrams
        self.event = event
    }
}

public enum DtlsEvent: Equatable {
    /// Handshake finished and the peer's certificate matched the SDP fingerprint.
    case connected(SrtpKeyMaterial)
    case failed(MediaError)
    /// The peer sent close_notify.
    case closed
}

public enum DtlsRole: Equatable, Sendable {
    /// Sends the ClientHello (a=setup:active).
    case client
    /// Waits for the ClientHello (a=setup:passive): the server's role towards browsers.
    case server
}
