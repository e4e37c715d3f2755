import Foundation

/// One Janus session with one plugin handle, over Janus's plain HTTP API
/// (https://janus.conf.meetecho.com/docs/rest.html): requests are POSTs to
/// /janus[/session[/handle]], asynchronous events come from long-poll GETs.
struct JanusSession {
    let http: HttpClient
    let base: String
    let session: Int
    let handle: Int

    /// `create` a session, then `attach` it to `plugin`.
    static func open(http: HttpClient, base: String, plugin: String) async throws -> JanusSession {
        let created = try await post(http, base, ["janus": "create"])
        guard let session = number(created["data"].flatMap { ($0 as? [String: Any])?["id"] }) else {
            throw HttpClient.Failure(description: "janus create: \(created)")
        }
        let attached = try await post(http, "\(base)/\(session)", ["janus": "attach", "plugin": plugin])
        guard let handle = number(attached["data"].flatMap { ($0 as? [String: Any])?["id"] }) else {
            throw HttpClient.Failure(description: "janus attach: \(attached)")
        }
        return JanusSession(http: http, base: base, session: session, handle: handle)
    }

    /// A plugin message; synchronous requests (e.g. AudioBridge `create`) answer with
    /// `success` and plugin data, asynchronous ones (`join`) with `ack`.
    func message(_ body: [String: Any], jsep: [String: Any]? = nil) async throws -> [String: Any] {
        var request: [String: Any] = ["janus": "message", "body": body]
        if let jsep { request["jsep"] = jsep }
        let reply = try await Self.post(http, "\(base)/\(session)/\(handle)", request)
        guard let kind = reply["janus"] as? String, kind == "success" || kind == "ack" else {
            throw HttpClient.Failure(description: "janus message: \(Self.errorText(reply))")
        }
        return reply
    }

    /// Events queued for this session (Janus holds the GET up to 30 s when there are none).
    func poll() async throws -> [[String: Any]] {
        let url = "\(base)/\(session)?maxev=10&rid=\(UInt64(Date().timeIntervalSince1970 * 1000))"
        let response = try await http.request("GET", url)
        let parsed = try? JSONSerialization.jsonObject(with: Data(response.body))
        if let many = parsed as? [[String: Any]] { return many }
        if let one = parsed as? [String: Any] { return [one] }
        return []
    }

    /// Sessions without traffic time out after 60 s (Janus's `session_timeout`).
    func keepalive() async throws {
        _ = try await Self.post(http, "\(base)/\(session)", ["janus": "keepalive"])
    }

    static func post(_ http: HttpClient, _ url: String, _ object: [String: Any]) async throws -> [String: Any] {
        var request = object
        request["transaction"] = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let body = try JSONSerialization.data(withJSONObject: request)
        let response = try await http.request("POST", url, body: Array(body))
        guard response.status == 200,
              let reply = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            throw HttpClient.Failure(description: "janus HTTP \(response.status): \(response.text.prefix(160))")
        }
        if reply["janus"] as? String == "error" {
            throw HttpClient.Failure(description: "janus: \(errorText(reply))")
        }
        return reply
    }

    /// Janus ids are integers up to 2^53; JSON gives them as Int or NSNumber.
    static func number(_ value: Any?) -> Int? {
        if let int = value as? Int { return int }
        return (value as? NSNumber)?.intValue
    }

    static func errorText(_ reply: [String: Any]) -> String {
        let error = reply["error"] as? [String: Any]
        return "\(error?["code"] ?? "?") \(error?["reason"] ?? reply)"
    }
}
