"""The Rasa server's own parts, by role: i18n/ (languages and catalogs), nlu/ (graph components), replies/
(rendering and the response generator), stores/ (conversations and locks), channels/ (REST, SMS, kiosk),
runtime/ (starting the servers, action faults, log privacy), stats/ (anonymous counts). Never imports
`actions` or `tools`."""
