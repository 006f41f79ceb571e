"""The start page: what each role comes to the app for, on the first screen."""
