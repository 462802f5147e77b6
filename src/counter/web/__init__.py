"""The customer's display: a web page for a screen facing the customer, served by Counter.

`CustomerDisplay` (counter.web.display) runs a small aiohttp server in a thread of its own
and pushes each `counter.domain.display.DisplayState` it is shown to the page by server-sent
events. The package knows its address and the states it is given, nothing else: it imports
`counter.domain` and `counter.i18n`, never storage, printing, reporting or the settings
(import-linter holds it). Importing it costs nothing; aiohttp loads when the server starts.
"""
