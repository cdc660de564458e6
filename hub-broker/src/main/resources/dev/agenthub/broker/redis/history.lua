-- Reads a channel's position and the history after an offset, creating the epoch if none.
-- KEYS[1] channel meta hash   KEYS[2] channel history stream
-- ARGV[1] since (exclusive)   ARGV[2] limit (0: position only)   ARGV[3] epoch to use if none
-- ARGV[4] meta TTL (s)   ARGV[5] '1' to record this master's replication id (see publish.lua)
-- ARGV[6] 0, or for an ephemeral channel (nothing is written for it until a publish) its TTL
-- in seconds: a channel without state then answers a virtual epoch that changes every TTL,
-- so a subscriber that saw it cannot take a later, since expired, epoch for "nothing new".
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  if ARGV[6] ~= '0' then
    local now = redis.call('TIME')
    return {'v' .. math.floor(tonumber(now[1]) / tonumber(ARGV[6])), '0', {}}
  end
  epoch = ARGV[3]
  local replid = ''
  if ARGV[5] == '1' then
    replid = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)') or ''
  end
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0, 'rid', replid, 'hb', 0)
  redis.call('EXPIRE', KEYS[1], ARGV[4])
end
local top = redis.call('HGET', KEYS[1], 'offset')
local entries = {}
if tonumber(ARGV[2]) > 0 then
  entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[1] .. '-1', '+', 'COUNT', ARGV[2])
end
return {epoch, top, entries}
