"""The 142 line's voice menu (IVR): Twilio's voice webhooks answered with TwiML in az, en, ru."""
