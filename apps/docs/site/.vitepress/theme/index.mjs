import DefaultTheme from 'vitepress/theme'
import BenchWorkload from './BenchWorkload.vue'
import './custom.css'

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component('BenchWorkload', BenchWorkload)
  },
}
