-- Sample fetch lua.spiffe_uri: the URI SAN of the client certificate.
-- HAProxy 2.6 has no fetch for SANs, so walk the DER: find the subjectAltName extension
-- (OID 2.5.29.17), skip its optional critical flag, unwrap the OCTET STRING and the GeneralNames
-- SEQUENCE, and return the first uniformResourceIdentifier ([6] IMPLICIT IA5String, tag 0x86).

-- DER length at position i: returns the length and the position of the content.
local function der_len(s, i)
  local b = s:byte(i)
  if b == nil then return nil end
  if b < 0x80 then return b, i + 1 end
  local n, len = b & 0x7f, 0
  if n == 0 or n > 3 then return nil end
  for k = 1, n do
    local c = s:byte(i + k)
    if c == nil then return nil end
    len = len * 256 + c
  end
  return len, i + 1 + n
end

local SAN_OID = "\x06\x03\x55\x1d\x11"

local function uri_san(der)
  local p = der:find(SAN_OID, 1, true)
  if p == nil then return nil end
  local i = p + #SAN_OID
  if der:byte(i) == 0x01 then -- BOOLEAN critical
    i = i + 3
  end
  if der:byte(i) ~= 0x04 then return nil end -- OCTET STRING
  local _, j = der_len(der, i + 1)
  if j == nil or der:byte(j) ~= 0x30 then return nil end -- SEQUENCE OF GeneralName
  local seq, k = der_len(der, j + 1)
  if seq == nil then return nil end
  local stop = k + seq
  while k < stop do
    local tag = der:byte(k)
    local len, c = der_len(der, k + 1)
    if len == nil then return nil end
    if tag == 0x86 then return der:sub(c, c + len - 1) end
    k = c + len
  end
  return nil
end

core.register_fetches("spiffe_uri", function(txn)
  local der = txn.f:ssl_c_der()
  if der == nil or der == "" then return "" end
  return uri_san(der) or ""
end)
