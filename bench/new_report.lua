-- wrk script: POST /api/v1/cases with a new, distinct report on every request (title,
-- coordinates, address and parties change with a per-thread counter), so each one is
-- screened against the sites and the watchlists for real. The bearer token comes from
-- bench/run (-H "Authorization: Bearer ...").

local here = os.getenv("BENCH_DIR") or "bench"
dofile(here .. "/report.lua")

wrk.method = "POST"
wrk.path = "/api/v1/cases"
wrk.headers["Content-Type"] = "application/json"

local threads = 0
function setup(thread)
   threads = threads + 1
   thread:set("tid", threads)
end

-- Company words that bench-data's watchlists also use, so some parties come close to a
-- listed name and the fuzzy matching has work to do.
local syllables = { "Hua", "xin", "Zhong", "tai", "Kun", "lian", "Bao", "rong", "Jia", "Ros",
                    "tek", "Vol", "gar", "Prom", "ener", "Pars", "Mehr", "Nor", "Lux", "Mir" }
local words = { "Technology", "Trading", "Logistics", "Holding", "Energy", "Investment",
                "Agriculture", "Data Center", "Properties", "Farms" }
local countries = { "CN", "US", "RU", "HK", "SG", "DE", "AE", "IR", "GB", "JP" }
local streets = { "Main Street", "County Road 12", "Industrial Parkway", "Ranch Road",
                  "Harbor Drive", "Airport Road", "Mill Lane", "Route 9" }

local n = 0
function request()
   n = n + 1
   local k = (tid or 1) * 1000003 + n
   local function pick(list, salt)
      return list[((k * salt) % #list) + 1]
   end
   -- Spread over the contiguous United States (lat 30..47, lon -122..-76).
   local lat = 30 + ((k * 7919) % 170000) / 10000
   local lon = -122 + ((k * 104729) % 460000) / 10000
   local company = pick(syllables, 31) .. string.lower(pick(syllables, 17)) .. " " .. pick(words, 13)
   local body = string.format(
      '{"title":"Bench report %d-%d: land purchase by %s",' ..
      '"source":"company_report",' ..
      '"summary":"Synthetic report %d from bench/run.",' ..
      '"transaction":{"kind":"purchase","date":"2025-03-14","value_usd":%d,' ..
      '"rights":{"access":true,"exclude":true,"improve":true,"affix":false},' ..
      '"intended_use":"warehouse"},' ..
      '"property":{"lat":%.5f,"lon":%.5f,"address":"%d %s","acreage":%d,' ..
      '"urban_area":false,"single_housing_unit":false,"in_port":false,"commercial_office":false},' ..
      '"parties":[' ..
      '{"key":"p1","name":"%s LLC","country":"US","role":"acquirer"},' ..
      '{"key":"p2","name":"%s Co., Ltd.","country":"%s","role":"parent","owns":"p1","ownership_pct":%d}]}',
      tid or 1, n, company, k, 100000 + (k % 9000000), lat, lon, 1 + (k % 9999),
      pick(streets, 7), 1 + (k % 400), company, company, pick(countries, 11), 10 + (k % 91))
   return wrk.format(nil, nil, nil, body)
end
