-- wrk script for bench/webhook_ack.sh: POSTs valid Strava webhook events,
-- each with its own object_id (per thread range), for an athlete that is
-- no runner of ours (the job worker marks them processed at once).
local counter = 0
-- base is the global setup() sets in each thread (a local here would
-- shadow it); wrk's threads have no id, so setup() numbers them: before,
-- every thread posted the same ids, each event twice.
local threads = 0
local sub = os.getenv("BENCH_SUBSCRIPTION") or "4242"

function setup(thread)
   thread:set("base", 990000000 + 10000000 * threads)
   threads = threads + 1
end

function init(args)
   base = base or 990000000
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"aspect_type":"create","event_time":1516126040,"object_id":%d,' ..
      '"object_type":"activity","owner_id":777000001,"subscription_id":%s,' ..
      '"updates":{}}', base + counter, sub)
   return wrk.format("POST", "/strava/webhook",
      { ["Content-Type"] = "application/json" }, body)
end
