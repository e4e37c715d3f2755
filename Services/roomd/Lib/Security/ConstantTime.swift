/// Comparison whose duration does not depend on where the inputs differ.
public enum ConstantTime {
    public static func equals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        var iteratorB = b.makeIterator()
        // Walk the longer length so a length mismatch costs the same as a content mismatch.
        var iteratorA = a.makeIterator()
        for _ in 0..<max(a.count, b.count) {
            let x = iteratorA.next() ?? 0
            let y = iteratorB.next() ?? 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count
    }

    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
