import Foundation
import MediaCore
import ServiceKit

public struct MediaServerConfig: Sendable {
    public var id: String
    public var udp: ListenAddress
    public var announcedIP: String?
    public var http: ListenAddress
    public var socketDirectory: String
    /// Mixing threads; rooms are spread over them.
    public var threads: Int
    /// Participants this instance accepts.
    public var capacity: Int
    /// How the mixer's encoders pick Opus's mode (`MEDIAD_OPUS_MODE`).
    public var opusMode = OpusModePolicy.lossAdaptive

    public init(id: String, udp: ListenAddress = ListenAddress(host: "127.0.0.1", port: 40000), announcedIP: String? = nil,
                http: ListenAddress = ListenAddress(host: "127.0.0.1", port: 8082), socketDirectory: String = "./run",
                threads: Int = System.coreCount, capacity: Int = 5000) {
        self.id = id
        self.udp = udp
        self.announcedIP = announcedIP
        self.http = http
        self.socketDirectory = socketDirectory
        self.threads = max(1, threads)
        self.capacity = capacity
    }

    public static func defaultId() -> String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "mediad"
        return "\(host)-\(getpid())"
    }

    public static func fromEnvironment() -> MediaServerConfig {
        var config = MediaServerConfig(id: Environment.string("MEDIAD_ID") ?? defaultId())
        if let udp = Environment.string("MEDIAD_UDP").flatMap(ListenAddress.init) { config.udp = udp }
        config.announcedIP = Environment.string("MEDIAD_ANNOUNCED_IP")
        if let http = Environment.string("MEDIAD_HTTP").flatMap(ListenAddress.init) { config.http = http }
        config.socketDirectory = Environment.socketDirectory
        config.threads = max(1, Environment.int("MEDIAD_THREADS", default: System.coreCount))
        config.capacity = Environment.int("MEDIAD_CAPACITY", default: config.capacity)
        if let mode = Environment.string("MEDIAD_OPUS_MODE") {
            if let policy = OpusModePolicy(rawValue: mode.lowercased()) {
                config.opusMode = policy
            } else {
                FileHandle.standardError.write(Data("mediad: MEDIAD_OPUS_MODE=\(mode) is not one of adaptive, voice; using adaptive\n".utf8))
            }
        }
        return config
    }

    /// The IP put in ICE candidates: the announced one, else the bound one
    /// (0.0.0.0 cannot be announced; fall back to loopback).
    public var candidateIP: String {
        if let announcedIP { return announcedIP }
        return ["0.0.0.0", "::"].contains(udp.host) ? "127.0.0.1" : udp.host
    }
}

import NIOCore
