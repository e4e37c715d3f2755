import Foundation
import NIOCore
import NIOPosix

/// A minimal HTTP/1.1 client (one request per connection, `Connection: close`):
/// enough for roomd's JSON API and the services' /metrics, without pulling in
/// an HTTP client package.
struct HttpClient {
    struct Response {
        var status: Int
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let group: EventLoopGroup

    /// Splits `http://host:port/path` into its parts.
    static func split(_ url: String) throws -> (host: String, port: Int, path: String) {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) } else if rest.hasPrefix("ws://") { rest = rest.dropFirst(5) }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let path = slash == rest.endIndex ? "/" : String(rest[slash...])
        let parts = authority.split(separator: ":")
        guard let host = parts.first else { throw Failure(description: "bad URL \(url)") }
        let port = parts.count > 1 ? Int(parts[1]) ?? 80 : 80
        return (String(host), port, path)
    }

    func request(_ method: String, _ url: String, body: [UInt8]? = nil, bearer: String? = nil) async throws -> Response {
        let (host, port, path) = try Self.split(url)
        let loop = group.next()
        let promise = loop.makePromise(of: ByteBuffer.self)
        let channel = try await ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(promise: promise))
                }
            }
            .connect(host: host, port: port).get()
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        if let bearer { head += "Authorization: Bearer \(bearer)\r\n" }
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        var buffer = channel.allocator.buffer(capacity: head.utf8.count + (body?.count ?? 0))
        buffer.writeString(head)
        if let body { buffer.writeBytes(body) }
        try await channel.writeAndFlush(buffer).get()
        let timeout = loop.scheduleTask(in: .seconds(15)) { channel.close(promise: nil) }
        defer { timeout.cancel() }
        let raw = try await promise.futureResult.get()
        return try Self.parse(Array(raw.readableBytesView))
    }

    static func parse(_ raw: [UInt8]) throws -> Response {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = raw.firstRange(of: separator) else { throw Failure(description: "truncated HTTP response") }
        let head = String(decoding: raw[..<end.lowerBound], as: UTF8.self)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "bad status line") }
        var body = Array(raw[end.upperBound...])
        if lines.contains(where: { $0.lowercased().hasPrefix("transfer-encoding:") && $0.lowercased().contains("chunked") }) {
            body = dechunk(body)
        }
        return Response(status: status, body: body)
    }

    static func dechunk(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var index = 0
        while index < data.count {
            guard let lineEnd = data[index...].firstRange(of: [13, 10]) else { break }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd.upperBound
            let stop = min(data.count, start + size)
            out += data[start..<stop]
            index = stop + 2
        }
        return out
    }

    private final class Collector: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        let promise: EventLoopPromise<ByteBuffer>
        var received: ByteBuffer?

        init(promise: EventLoopPromise<ByteBuffer>) { self.promise = promise }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = unwrapInboundIn(data)
            if received == nil { received = chunk } else { received!.writeBuffer(&chunk) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            promise.succeed(received ?? context.channel.allocator.buffer(capacity: 0))
        }

        func errorCaught(context: ChannelHandlerContext, error: Error) {
            promise.fail(error)
            context.close(promise: nil)
        }
    }
}

