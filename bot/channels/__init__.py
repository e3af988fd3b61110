"""Input channels (credentials.yml): REST now; SMS and the kiosk share bot.channels.inbound's checks."""
