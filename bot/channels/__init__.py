"""Input channels (credentials.yml): REST, SMS and the kiosk, sharing bot.channels.inbound's input checks and
bot.channels.turns' bounded turns."""
