-- wrk script for bench/scale.sh: every request is a different runner's
-- page (read from SCALE_RUNNERS: "tag token plan_id" lines), in turn, so
-- per-worker caches miss as they would with thousands of runners.
-- SCALE_PAGE: calendar | week | dashboard | activities.
-- SCALE_REBUILD=1 adds a flash cookie, which no page cache serves: every
-- page is built from the database.
local runners = {}
local page = os.getenv("SCALE_PAGE") or "calendar"
local extra = os.getenv("SCALE_REBUILD") == "1" and "; flash=bench" or ""
local n, i = 0, 0

local function load()
   for line in io.lines(os.getenv("SCALE_RUNNERS")) do
      local tag, token, plan = line:match("^(%S+)%s+(%S+)%s+(%S+)$")
      if tag and tonumber(tag) then
         n = n + 1
         runners[n] = { token = token, plan = plan }
      end
   end
end

function setup(thread)
   thread:set("offset", (tonumber(thread.id) or 0) * 7919)
end

function init(args)
   load()
   i = offset or 0
end

local paths = {
   calendar = function(r) return "/plans/" .. r.plan end,
   week = function(r) return "/plans/" .. r.plan .. "/weeks/9" end,
   dashboard = function(r) return "/" end,
   activities = function(r) return "/activities" end,
}

function request()
   i = i + 1
   local r = runners[(i % n) + 1]
   return wrk.format("GET", paths[page](r),
      { ["Cookie"] = "cadence_session=" .. r.token .. extra })
end
