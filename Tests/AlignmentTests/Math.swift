#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func _math_log(_ x: Double) -> Double { log(x) }
func _math_exp(_ x: Double) -> Double { exp(x) }
