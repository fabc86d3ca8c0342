-- Entra's initial provisioning cycle, one wrk thread per keep-alive connection (-tN -cN):
-- for each of this thread's users, GET /Users?filter=userName eq "<user>" (expects 200 and an
-- empty ListResponse: a miss), then POST /Users with Entra's create body (expects 201). When a
-- thread has created its last user it prints one "WRKTHREAD {json}" line and stops; the harness
-- interrupts wrk (SIGINT) once every thread has, so wrk's summary still prints.
-- args: token, number of users (all threads together), userName prefix (unique per run),
-- threads; optional part and parts: this wrk is part <part> (0-based) of <parts> wrk processes
-- sharing the users (two hosts, one wrk each: bench/cluster_entra.py)
package.path = debug.getinfo(1, "S").source:match("^@(.*/)") .. "?.lua;" .. package.path
local common = require("common")

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

local auth, json_headers, users_path, prefix, total
local mine = {}  -- this thread's user numbers
local pos, phase = 1, "get"
local first, last
local gets, misses, posts, created, unexpected = 0, 0, 0, 0, 0
local problems = ""

local body_format = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User",'
  .. '"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],'
  .. '"externalId":"%08x-0000-4000-8000-%012x","userName":"%s","active":true,'
  .. '"emails":[{"primary":true,"type":"work","value":"%s"}],'
  .. '"meta":{"resourceType":"User"},'
  .. '"name":{"formatted":"Given %d Family","familyName":"Family","givenName":"Given %d"},'
  .. '"roles":[]}'

function init(args)
  auth = "Bearer " .. args[1]
  total = tonumber(args[2])
  prefix = args[3]
  json_headers = { ["Authorization"] = auth, ["Content-Type"] = "application/scim+json" }
  users_path = wrk.path
  local nthreads = tonumber(args[4])
  local part, parts = tonumber(args[5] or "0"), tonumber(args[6] or "1")
  for n = part * nthreads + id - 1, total - 1, nthreads * parts do
    mine[#mine + 1] = n
  end
end

local function user_name(n)
  return string.format("%s%07d@contoso.com", prefix, n)
end

function request()
  if first == nil then first = common.now() end
  local n = mine[pos]
  if n == nil then  -- nothing left (only when a thread has no users): a harmless request
    return wrk.format("GET", "/health")
  end
  local name = user_name(n)
  if phase == "get" then
    gets = gets + 1
    local path = users_path .. "?filter=userName+eq+%22" .. name .. "%22"
    return wrk.format("GET", path, { ["Authorization"] = auth })
  end
  posts = posts + 1
  return wrk.format("POST", users_path, json_headers,
    string.format(body_format, n, n, name, name, n, n))
end

local function finish()
  last = common.now()
  io.write("WRKTHREAD " .. common.encode({
    id = id, users = #mine, first = first, last = last, gets = gets, misses = misses,
    posts = posts, created = created, unexpected = unexpected, problems = problems,
  }) .. "\n")
  io.stdout:flush()
  wrk.thread:stop()
end

local function problem(status, body)
  unexpected = unexpected + 1
  if #problems < 600 then
    problems = problems .. phase .. " " .. status .. ": " .. string.sub(body or "", 1, 150) .. " | "
  end
end

function response(status, headers, body)
  if mine[pos] == nil then return finish() end
  if phase == "get" then
    if status == 200 and string.find(body, '"totalResults":0', 1, true) then
      misses = misses + 1
    else
      problem(status, body)
    end
    phase = "post"
  else
    if status == 201 then created = created + 1 else problem(status, body) end
    phase = "get"
    pos = pos + 1
    if mine[pos] == nil then return finish() end
  end
end

function done(summary, latency, requests)
  common.report(summary, latency, {})
end
