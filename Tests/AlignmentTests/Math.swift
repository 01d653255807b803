#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func mathLog(_ x: Double) -> Double { log(x) }
func mathExp(_ x: Double) -> Double { exp(x) }
