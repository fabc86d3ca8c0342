-- POST /Users with a new userName per request for `seconds` seconds; after that each connection
-- sends only one GET /health a second (a delay()) until wrk stops, at least two seconds later, so
-- no create is in flight when wrk closes its connections and every row in the database has had
-- its answer counted. (Stopping a thread as soon as its creates are answered cannot be done
-- exactly: over TLS wrk sometimes asks request() again for a request it could not write yet.)
-- args: token, seconds of creating, userName prefix (unique per run)
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local headers, deadline, prefix, users_path
-- globals, read from done() with thread:get()
sent, created, failed, first, last, health = 0, 0, 0, nil, nil, 0
failures = ""
local seen = {}

local body_format = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],'
  .. '"userName":"%s","name":{"givenName":"Bench","familyName":"User %d"},"active":true}'

function init(args)
  headers = {
    ["Authorization"] = "Bearer " .. args[1],
    ["Content-Type"] = "application/scim+json",
  }
  deadline = common.now() + tonumber(args[2])
  prefix = args[3] .. id .. "-"
  users_path = wrk.path
end

function request()
  local now = common.now()
  if now < deadline then
    if first == nil then first = now end
    sent = sent + 1
    return wrk.format("POST", users_path, headers, string.format(body_format, prefix .. sent, sent))
  end
  health = health + 1
  return wrk.format("GET", "/health")
end

function delay()  -- milliseconds before the next request: none while creating
  if common.now() < deadline then return 0 end
  return 1000
end

function response(status, hdrs, body)
  if status == 201 then
    created = created + 1
    last = common.now()
  elseif status ~= 200 then  -- /health answers 200; a create never does
    failed = failed + 1
    if not seen[status] then
      seen[status] = true
      failures = failures .. status .. ": " .. string.sub(body or "", 1, 200) .. " | "
    end
  end
end

function done(summary, latency, requests)
  local total_sent, total_created, total_failed, health_checks = 0, 0, 0, 0
  local t_first, t_last = nil, nil
  local messages = ""
  for _, t in ipairs(threads) do
    total_sent = total_sent + t:get("sent")
    total_created = total_created + t:get("created")
    total_failed = total_failed + t:get("failed")
    health_checks = health_checks + t:get("health")
    local f, l = t:get("first"), t:get("last")
    if f and (t_first == nil or f < t_first) then t_first = f end
    if l and (t_last == nil or l > t_last) then t_last = l end
    messages = messages .. t:get("failures")
  end
  local window = (t_first and t_last) and (t_last - t_first) or 0
  common.report(summary, latency, {
    sent = total_sent, created = total_created, failed = total_failed,
    health_checks = health_checks, create_window_s = window,
    creates_per_s = window > 0 and total_created / window or 0,
    failures = messages,
  })
end
