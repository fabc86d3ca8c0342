-- Shared by the bench/wrk scripts: a monotonic clock and the JSON summary line that
-- bench/_harness.py reads (one line starting with "WRKJSON ").
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")

local M = {}

function M.now()  -- seconds, CLOCK_MONOTONIC
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9
end

local function quote(text)
  return '"' .. text:gsub('[%c"\\]', function(c)
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end

local function encode(value)
  local kind = type(value)
  if kind == "table" then
    local parts = {}
    for k, v in pairs(value) do
      parts[#parts + 1] = quote(tostring(k)) .. ":" .. encode(v)
    end
    return "{" .. table.concat(parts, ",") .. "}"
  elseif kind == "number" then
    if value ~= value or value == math.huge or value == -math.huge then return "null" end
    return string.format("%.6f", value)
  elseif kind == "string" then
    return quote(value)
  elseif kind == "boolean" then
    return tostring(value)
  end
  return "null"
end
M.encode = encode

-- summary/latency as wrk hands them to done(); extra: a table of script-specific numbers.
function M.report(summary, latency, extra)
  local seconds = summary.duration / 1e6
  local out = {
    requests = summary.requests,
    seconds = seconds,
    rps = summary.requests / seconds,
    p50_ms = latency:percentile(50) / 1000,
    p90_ms = latency:percentile(90) / 1000,
    p99_ms = latency:percentile(99) / 1000,
    max_ms = latency.max / 1000,
    mean_ms = latency.mean / 1000,
    errors = {
      connect = summary.errors.connect, read = summary.errors.read,
      write = summary.errors.write, status = summary.errors.status,
      timeout = summary.errors.timeout,
    },
    extra = extra or {},
  }
  io.write("WRKJSON " .. encode(out) .. "\n")
end

return M
