// A tasks module that throws while it loads.
throw new Error('DATABASE_URL is not set')
