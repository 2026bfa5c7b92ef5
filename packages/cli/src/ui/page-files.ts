import { createRequire } from 'node:module'
import { join } from 'node:path'

/** The files the page is made of, by the name it asks for: its own and xterm.js's, all shipped in the package. */
export function pageFiles(pageDir: string): Map<string, { path: string; type: string }> {
  const xterm = (file: string) => createRequire(import.meta.url).resolve(`@xterm/xterm/${file}`)
  return new Map([
    ['/', { path: join(pageDir, 'index.html'), type: 'text/html; charset=utf-8' }],
    ['/app.js', { path: join(pageDir, 'app.js'), type: 'text/javascript; charset=utf-8' }],
    ['/style.css', { path: join(pageDir, 'style.css'), type: 'text/css; charset=utf-8' }],
    ['/xterm.js', { path: xterm('lib/xterm.js'), type: 'text/javascript; charset=utf-8' }],
    ['/xterm.css', { path: xterm('css/xterm.css'), type: 'text/css; charset=utf-8' }],
  ])
}
