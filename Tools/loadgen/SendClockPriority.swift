import Foundation
import NIOCore

/// The media loop is the generator's clock: every participant's packet leaves from
/// it, and the receive thread times every received one. On a shared core, a burst of
/// presence events (signald's, or the generator's own WebSocket tasks after a talker
/// switch) could hold either off the CPU for 10–45 ms, which then shows as the server's
/// late packets or as late arrivals. When permitted (root), both run SCHED_FIFO from
/// the end of the joins (which they would starve) through the measurement window, so
/// only interrupts come first; the kernel's RT throttling still leaves other threads 5 %.
enum SendClockPriority {
    static let fifoPriority: Int32 = 10

    /// Returns a description of what the loop's thread got.
    static func raise(_ loop: EventLoop) -> EventLoopFuture<String> {
        loop.submit {
            var parameters = sched_param()
            parameters.sched_priority = fifoPriority
            if sched_setscheduler(0, Int32(SCHED_FIFO), &parameters) == 0 { return "SCHED_FIFO \(fifoPriority)" }
            return "normal (SCHED_FIFO refused: errno \(errno))"
        }
    }

    /// The receive thread times every received packet: it runs SCHED_FIFO too, one below
    /// the send clock, so that only the generator's own sending can hold it off.
    @discardableResult
    static func raise(_ poller: ListenerPoller) -> Bool {
        poller.raisePriority(to: fifoPriority - 1)
    }
}
