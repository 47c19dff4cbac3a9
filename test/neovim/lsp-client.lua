-- Drives `failpath lsp --stdio` from Neovim's built-in LSP client (0.7: start_client + buf_attach_client).
-- Run headless on a C file; prints one JSON object (what the client saw) and exits 0, or writes FAIL and exits 1.
-- Env: FAILPATH_CMD (the server command), WAIT_MS.
local wait_ms = tonumber(os.getenv('WAIT_MS') or '20000')
local function fail(why)
  io.stderr:write('FAIL: ' .. why .. '\n')
  vim.cmd('cquit 1')
end

local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'c' -- no filetype detection under -u NONE; the languageId comes from it

local published = {} -- the server's diagnostics in LSP form, newest last
local id = vim.lsp.start_client({
  name = 'failpath',
  cmd = vim.split(os.getenv('FAILPATH_CMD'), ' ', { trimempty = true }),
  root_dir = vim.fn.getcwd(),
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      table.insert(published, result.diagnostics)
      return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
    end,
  },
})
if not id then return fail('the server did not start') end
vim.lsp.buf_attach_client(buf, id)
local client = vim.lsp.get_client_by_id(id)
local uri = vim.uri_from_bufnr(buf)

local function codes(list)
  local out = {}
  for _, d in ipairs(list or {}) do table.insert(out, (d.range.start.line + 1) .. ':' .. d.code) end
  table.sort(out)
  return out
end

if not vim.wait(wait_ms, function() return #published > 0 end, 20) then return fail('no diagnostics') end
local before = published[#published]
local target
for _, d in ipairs(before) do if d.code == 'unchecked-alloc' then target = d end end
if not target then return fail('no unchecked-alloc diagnostic') end

local actions = client.request_sync('textDocument/codeAction', {
  textDocument = { uri = uri }, range = target.range, context = { diagnostics = { target } },
}, wait_ms, buf)
if not actions or actions.err then return fail('codeAction: ' .. vim.inspect(actions)) end
local fix
for _, a in ipairs(actions.result or {}) do if a.isPreferred then fix = a end end
if not fix then return fail('no preferred quick fix') end
local count = #published
vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or 'utf-16')
if not vim.wait(wait_ms, function() return #published > count end, 20) then return fail('no diagnostics after the fix') end

local lenses = client.request_sync('textDocument/codeLens', { textDocument = { uri = uri } }, wait_ms, buf)
if not lenses or lenses.err or not lenses.result or #lenses.result == 0 then return fail('codeLens: ' .. vim.inspect(lenses)) end
local resolved = client.request_sync('codeLens/resolve', lenses.result[1], wait_ms, buf)
if not resolved or resolved.err then return fail('codeLens/resolve: ' .. vim.inspect(resolved)) end

io.stdout:write(vim.fn.json_encode({
  before = codes(before), after = codes(published[#published]), fix = fix.title,
  lens = resolved.result.command.title, lensLine = resolved.result.range.start.line,
  text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n'),
}) .. '\n')
vim.lsp.stop_client(id)
vim.wait(2000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
vim.cmd('qall!')
