-- wrk script of bench/gateway/throughput.sh: every request is a GET of the URL's path with the shop's
-- Host header (the URL itself names 127.0.0.1, the gateway or a cell).
--
--   WRK_HOST=demo-coffee.shops.localhost  the Host header to send (required)
--   WRK_DELAY_MS=50                       optional: each connection waits this long after a response
--                                         before its next request (paced mode: about
--                                         connections * 1000 / WRK_DELAY_MS requests/s, minus latency)
--
-- wrk measures latency from sending a request to its response; a delay is not part of it.

local host = os.getenv("WRK_HOST")
if host == nil or host == "" then
  io.stderr:write("host.lua: set WRK_HOST to the shop's host name\n")
  os.exit(2)
end
wrk.headers["Host"] = host

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "")
if delay_ms ~= nil and delay_ms > 0 then
  function delay()
    return delay_ms
  end
end
