-- wrk script: after the run, one machine-readable line for bench/run with the exact figures
-- (wrk's own summary rounds them): requests, duration, bytes, p50/p99 latency in µs, and the
-- failures (responses that were not 2xx or 3xx, and socket errors). bench/run checks by other
-- means that no response was a 3xx.

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      "CORDON requests=%d duration_us=%d bytes=%d p50_us=%d p99_us=%d max_us=%d " ..
      "non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
      summary.requests, summary.duration, summary.bytes,
      latency:percentile(50), latency:percentile(99), latency.max,
      e.status, e.connect, e.read, e.write, e.timeout))
end
