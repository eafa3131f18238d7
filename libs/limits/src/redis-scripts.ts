import { inFlightRetryMs } from './counter-plan';

/**
 * The Lua scripts of the Redis limiter. Each counter is a hash (`_total`, budgets' `_pending`,
 * and one field per reservation holding its amount) plus a sorted set of the same reservations
 * scored by expiry. Redis runs a script atomically, so one acquire checks and reserves every
 * counter at once, and every replica of the policy service shares the same counters. Time comes
 * from the Redis server (TIME), so replicas with skewed clocks agree on the windows.
 */

/** Kind codes shared with the scripts. */
export const kindCode = { sliding_window: 1, lease: 2, budget: 3 } as const;

const prune = `
-- Removes entries whose time is up. Windows and slots give their amount back; an unsettled
-- budget reservation stays charged at its worst case (money errs on the safe side).
local function prune(h, z, kind, now)
  local expired = redis.call('ZRANGEBYSCORE', z, '-inf', now)
  local count = #expired
  if count == 0 then return end
  local freed = 0
  for first = 1, count, 500 do
    local last = math.min(first + 499, count)
    local batch = {}
    for i = first, last do batch[#batch + 1] = expired[i] end
    local amounts = redis.call('HMGET', h, unpack(batch))
    for i = 1, #amounts do freed = freed + (tonumber(amounts[i]) or 0) end
    redis.call('HDEL', h, unpack(batch))
  end
  redis.call('ZREMRANGEBYSCORE', z, '-inf', now)
  if freed > 0 then
    if kind == 3 then
      redis.call('HINCRBY', h, '_pending', string.format('%d', -freed))
    else
      redis.call('HINCRBY', h, '_total', string.format('%d', -freed))
    end
  end
end
`;

/**
 * KEYS: per check, its hash and its sorted set.
 * ARGV: reservation id, lease ms, window ms, check count, then per check: kind, limit, amount,
 * ms until the budget period ends (0 otherwise), key TTL ms, 1 when every entry counts 1.
 * Returns: admitted (0/1), then per check: used, reset ms, retry-after ms.
 */
export const acquireScript = `${prune}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local lease = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local n = tonumber(ARGV[4])
local checks = {}
local admitted = 1
for i = 1, n do
  local base = 4 + (i - 1) * 6
  local c = {
    kind = tonumber(ARGV[base + 1]), limit = tonumber(ARGV[base + 2]),
    amount = tonumber(ARGV[base + 3]), periodReset = tonumber(ARGV[base + 4]),
    keyTtl = tonumber(ARGV[base + 5]), unit = ARGV[base + 6] == '1',
    h = KEYS[2 * i - 1], z = KEYS[2 * i]
  }
  prune(c.h, c.z, c.kind, now)
  local state = redis.call('HMGET', c.h, '_total', '_pending')
  c.total = tonumber(state[1]) or 0
  c.pending = tonumber(state[2]) or 0
  if c.total + c.amount > c.limit then admitted = 0 end
  checks[i] = c
end

if admitted == 1 then
  for i = 1, n do
    local c = checks[i]
    local ttl = c.kind == 1 and window or lease
    local amount = string.format('%d', c.amount)
    redis.call('HINCRBY', c.h, '_total', amount)
    if c.kind == 3 then redis.call('HINCRBY', c.h, '_pending', amount) end
    redis.call('HSET', c.h, id, amount)
    redis.call('ZADD', c.z, string.format('%d', now + ttl), id)
    redis.call('PEXPIRE', c.h, string.format('%d', c.keyTtl))
    redis.call('PEXPIRE', c.z, string.format('%d', c.keyTtl))
    c.total = c.total + c.amount
  end
end

local out = { admitted }
for i = 1, n do
  local c = checks[i]
  local reset = 0
  local retry = 0
  if c.kind == 1 then
    local newest = redis.call('ZRANGE', c.z, -1, -1, 'WITHSCORES')
    if #newest == 2 then reset = tonumber(newest[2]) - now end
    if admitted == 0 and c.total + c.amount > c.limit then
      retry = window
      if c.amount <= c.limit then
        local needed = c.total + c.amount - c.limit
        if c.unit then
          local entry = redis.call('ZRANGE', c.z, needed - 1, needed - 1, 'WITHSCORES')
          if #entry == 2 then retry = tonumber(entry[2]) - now end
        else
          local oldest = redis.call('ZRANGE', c.z, 0, 255, 'WITHSCORES')
          local freed = 0
          for j = 1, #oldest, 2 do
            freed = freed + (tonumber(redis.call('HGET', c.h, oldest[j])) or 0)
            if freed >= needed then retry = tonumber(oldest[j + 1]) - now break end
          end
          if freed < needed then retry = reset end
        end
      end
    end
  elseif c.kind == 2 then
    if admitted == 0 and c.total + c.amount > c.limit then retry = ${inFlightRetryMs} end
  else
    reset = c.periodReset
    if admitted == 0 and c.total + c.amount > c.limit then
      if c.amount <= c.limit and c.total - c.pending + c.amount <= c.limit then
        retry = ${inFlightRetryMs}
      else
        retry = c.periodReset
      end
    end
  end
  out[#out + 1] = c.total
  out[#out + 1] = reset
  out[#out + 1] = retry
end
return out
`;

/**
 * KEYS: the reservation's settled marker, then per reserved counter its hash and sorted set.
 * ARGV: reservation id, marker TTL ms, counter count, then per counter: kind, actual amount (-1 keeps the
 * reserved amount), 1 when the amount is adjusted on settle (tokens), else 0.
 * Returns the number of counters that still held the reservation.
 */
export const settleScript = `
local id = ARGV[1]
-- A reservation settles once: later settles and releases of it change nothing.
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[2]) then return 0 end
local n = tonumber(ARGV[3])
local touched = 0
for i = 1, n do
  local base = 3 + (i - 1) * 3
  local kind = tonumber(ARGV[base + 1])
  local actual = tonumber(ARGV[base + 2])
  local adjusts = ARGV[base + 3] == '1'
  local h = KEYS[2 * i]
  local z = KEYS[2 * i + 1]
  local reserved = tonumber(redis.call('HGET', h, id))
  if reserved then
    if kind == 1 then
      -- Requests stay counted; tokens become what was used, for the rest of the window.
      if adjusts and actual >= 0 then
        redis.call('HSET', h, id, string.format('%d', actual))
        redis.call('HINCRBY', h, '_total', string.format('%d', actual - reserved))
      end
      touched = touched + 1
    elseif redis.call('ZREM', z, id) == 1 then
      redis.call('HDEL', h, id)
      if kind == 2 then
        redis.call('HINCRBY', h, '_total', string.format('%d', -reserved))
      else
        redis.call('HINCRBY', h, '_pending', string.format('%d', -reserved))
        if actual >= 0 then
          redis.call('HINCRBY', h, '_total', string.format('%d', actual - reserved))
        end
      end
      touched = touched + 1
    end
  end
end
return touched
`;
