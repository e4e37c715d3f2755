import MediaCore
import NIOConcurrencyHelpers

/// Which mixing thread (engine) owns which room, participant, ICE ufrag and remote
/// address. The UDP reader consults it to hand each datagram to the right engine;
/// engines write to it only when sessions come, go or move address.
final class EngineDirectory: @unchecked Sendable {
    private struct Tables {
        var rooms: [String: Int] = [:]
        var participants: [String: Int] = [:]
        var ufrags: [String: Int] = [:]
        var addresses: [TransportAddress: Int] = [:]
        var participantsPerEngine: [Int]
    }
    private let tables: NIOLockedValueBox<Tables>

    init(engines: Int) {
        tables = NIOLockedValueBox(Tables(participantsPerEngine: Array(repeating: 0, count: engines)))
    }

    /// The engine hosting the room; a new room goes to the engine with fewest
    /// participants. Entries are kept for the process's life (room ids are never
    /// reused), so a room can never end up split over two engines.
    func engine(forRoom roomId: String) -> Int {
        tables.withLockedValue { tables in
            if let engine = tables.rooms[roomId] { return engine }
            let counts = tables.participantsPerEngine
            let engine = counts.indices.min { (counts[$0], $0) < (counts[$1], $1) } ?? 0
            tables.rooms[roomId] = engine
            return engine
        }
    }

    func engine(forParticipant participantId: String) -> Int? {
        tables.withLockedValue { $0.participants[participantId] }
    }

    /// Routes a datagram: by source address, else by the ufrag of a first STUN check.
    func engine(for address: TransportAddress, ufrag: () -> String?) -> Int? {
        tables.withLockedValue { tables in
            if let engine = tables.addresses[address] { return engine }
            guard let ufrag = ufrag() else { return nil }
            return tables.ufrags[ufrag]
        }
    }

    func added(participant: String, ufrag: String, engine: Int) {
        tables.withLockedValue { tables in
            if tables.participants.updateValue(engine, forKey: participant) == nil {
                tables.participantsPerEngine[engine] += 1
            }
            tables.ufrags[ufrag] = engine
        }
    }

    func learned(address: TransportAddress, engine: Int) {
        tables.withLockedValue { $0.addresses[address] = engine }
    }

    func forget(addresses: [TransportAddress]) {
        guard !addresses.isEmpty else { return }
        tables.withLockedValue { tables in
            for address in addresses { tables.addresses[address] = nil }
        }
    }

    func removed(participant: String, ufrag: String, addresses: [TransportAddress]) {
        tables.withLockedValue { tables in
            if let engine = tables.participants.removeValue(forKey: participant) {
                tables.participantsPerEngine[engine] -= 1
            }
            tables.ufrags[ufrag] = nil
            for address in addresses { tables.addresses[address] = nil }
        }
    }
}
