-- GET /Users?filter=<attribute> eq "<login>" for random logins of the N synthetic users.
-- args: token, number of users, attribute (default userName), login prefix (default "user")
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local path_prefix, users, headers

function init(args)
  local token = args[1]
  users = tonumber(args[2])
  local attribute = args[3] or "userName"
  local prefix = args[4] or "user"
  math.randomseed(id * 7919 + os.time())
  path_prefix = wrk.path .. "?filter=" .. attribute .. "+eq+%22" .. prefix
  headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/scim+json" }
end

function request()
  local n = math.random(0, users - 1)
  return wrk.format("GET", string.format("%s%07d%%22", path_prefix, n), headers)
end

function done(summary, latency, requests)
  common.report(summary, latency, {})
end
